using FlinkBeam.Submitter.Records;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// A page of the history as the JSON array the API answers: each run's record as JSON (checked), and the cursor of the
/// next page when more follow. Written to a response as it is, without reading the records into objects first.
/// </summary>
public sealed class RunJsonPage(IReadOnlyList<ReadOnlyMemory<byte>> records, RunCursor? next)
{
    // Written asynchronously only: a response does not take synchronous writes.
    private static readonly ReadOnlyMemory<byte> Open = "["u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Comma = ","u8.ToArray();
    private static readonly ReadOnlyMemory<byte> Close = "]"u8.ToArray();

    /// <summary>Each run's record, in page order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Records { get; } = records;

    public RunCursor? Next { get; } = next;

    /// <summary>Writes the page as one JSON array, in writes of about 64 KiB.</summary>
    public async Task WriteToAsync(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffered = new BufferedStream(stream, 64 * 1024);
        await using (buffered.ConfigureAwait(false))
        {
            await buffered.WriteAsync(Open).ConfigureAwait(false);
            for (var i = 0; i < Records.Count; i++)
            {
                if (i > 0)
                {
                    await buffered.WriteAsync(Comma).ConfigureAwait(false);
                }

                await buffered.WriteAsync(Records[i]).ConfigureAwait(false);
            }

            await buffered.WriteAsync(Close).ConfigureAwait(false);
            await buffered.FlushAsync().ConfigureAwait(false);
        }
    }
}
