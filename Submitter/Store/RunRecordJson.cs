using System.Text.Json;
using System.Text.Json.Serialization;
using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>The JSON form of a <see cref="RunRecord"/> in the history: camelCase, states as names.</summary>
public static class RunRecordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public static string Serialize(RunRecord record) => JsonSerializer.Serialize(record, Options);

    public static RunRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<RunRecord>(json, Options) ?? throw new JsonException("The record is JSON null.");
}
