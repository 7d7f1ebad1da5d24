using System.Text.Json;
using System.Text.Json.Serialization;
using FlinkBeam.Submitter.Readiness;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// The JSON contracts of the API and the command line's <c>--json</c>, generated at build time (run records come from
/// <see cref="Records.RecordsJsonContext"/>): nothing is reflected over or generated at run time to read and write them.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunSubmission))]
[JsonSerializable(typeof(CancelActiveResult))]
[JsonSerializable(typeof(List<PipelineSummary>))]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
