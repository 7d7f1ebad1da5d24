using System.Text.Json;
using System.Text.Json.Serialization;
using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Events;

/// <summary>
/// The JSON of the stream's own events, generated at build time with the API's conventions (camelCase, states as names),
/// so a pipeline event's <c>latest</c> reads exactly as <c>GET /runs/{id}</c> answers.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PipelineSummary))]
[JsonSerializable(typeof(ClientOutputLine))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
