using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlinkBeam.Submitter.Records;

/// <summary>The JSON contract of a run record (history and API), generated at build time: camelCase, states as names.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(IReadOnlyList<RunRecord>))]
public sealed partial class RecordsJsonContext : JsonSerializerContext;
