namespace FlinkBeam.Submitter.Store;

/// <summary>How large the history file may grow, in SQLite pages (4 KiB); null: as large as the disk allows.</summary>
public sealed record HistoryLimits
{
    public long? MaxPageCount { get; init; }
}
