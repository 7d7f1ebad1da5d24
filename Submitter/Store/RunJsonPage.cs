using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// A page of the history as the JSON array the API answers: each run's record as JSON (checked), and the cursor of the
/// next page when more follow. Written to a response as it is, without reading the records into objects first.
/// </summary>
public sealed class RunJsonPage(IReadOnlyList<ReadOnlyMemory<byte>> records, RunCursor? next)
{
    /// <summary>Each run's record, in page order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Records { get; } = records;

    public RunCursor? Next { get; } = next;

    /// <summary>Writes the page as one JSON array.</summary>
    public async Task WriteToAsync(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync("["u8.ToArray()).ConfigureAwait(false);
        for (var i = 0; i < Records.Count; i++)
        {
            if (i > 0)
            {
                await stream.WriteAsync(","u8.ToArray()).ConfigureAwait(false);
            }

            await stream.WriteAsync(Records[i]).ConfigureAwait(false);
        }

        await stream.WriteAsync("]"u8.ToArray()).ConfigureAwait(false);
    }
}
