using System.Globalization;

namespace FlinkBeam.Hosting;

/// <summary>How the pipeline rows write times, durations, counts and sizes.</summary>
internal static class PipelineText
{
    /// <summary>UTC to the second, e.g. <c>2026-12-07 10:00:00Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);

    /// <summary>e.g. <c>850 ms</c>, <c>3.2 s</c>, <c>2 min 05 s</c>, <c>1 h 02 min</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration switch
        {
            { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:F0} ms"),
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:F1} s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds:D2} s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes:D2} min"),
        };
    }

    /// <summary>A whole count with thousands separators, e.g. <c>12,345</c>.</summary>
    public static string Count(double count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A rate to one decimal, e.g. <c>1.5</c>.</summary>
    public static string Rate(double rate) => rate.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>e.g. <c>512 B</c>, <c>2.0 KiB</c>, <c>3.4 MiB</c>.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F1} GiB"),
    };
}
