using System.Text.Json;
using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>The JSON form of a <see cref="RunRecord"/> in the history: camelCase, states as names.</summary>
public static class RunRecordJson
{
    public static string Serialize(RunRecord record) => JsonSerializer.Serialize(record, RecordsJsonContext.Default.RunRecord);

    public static RunRecord Deserialize(string json) =>
        JsonSerializer.Deserialize(json, RecordsJsonContext.Default.RunRecord) ?? throw new JsonException("The record is JSON null.");

    public static RunRecord Deserialize(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, RecordsJsonContext.Default.RunRecord) ?? throw new JsonException("The record is JSON null.");
}
