using System.Globalization;

namespace FlinkBeam.Hosting.Benchmarks;

/// <summary>The benchmark's rows: count, median, p95 and max of a list of durations against a goal on the median or the p95.</summary>
internal static class BenchmarkTable
{
    public static string Header { get; } =
        $"{"metric",-80} {"n",4} {"median",10} {"p95",10} {"max",10} {"goal",12}  result" + Environment.NewLine + new string('-', 138);

    /// <summary>A row; <paramref name="onP95"/> judges the p95 instead of the median.</summary>
    public static string Row(string metric, IReadOnlyCollection<TimeSpan> values, TimeSpan goal, bool onP95 = false)
    {
        var sorted = values.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var p95 = sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1];
        var judged = onP95 ? p95 : median;
        return string.Create(CultureInfo.InvariantCulture,
            $"{metric,-80} {values.Count,4} {Text(median),10} {Text(p95),10} {Text(sorted[^1]),10} {(onP95 ? "p95 ≤ " : "≤ ") + Text(goal),12}  {(judged <= goal ? "PASS" : "MISS")}");
    }

    private static string Text(TimeSpan value) =>
        value < TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:F1} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:F2} s");
}
