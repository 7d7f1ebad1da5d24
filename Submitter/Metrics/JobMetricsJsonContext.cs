using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlinkBeam.Submitter.Metrics;

/// <summary>The JSON of a <c>metrics</c> event, generated at build time: camelCase, times ISO 8601.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JobMetrics))]
internal sealed partial class JobMetricsJsonContext : JsonSerializerContext;
