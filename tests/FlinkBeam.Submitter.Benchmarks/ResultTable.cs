using System.Globalization;

namespace FlinkBeam.Submitter.Benchmarks;

/// <summary>Something the benchmark relies on did not happen (a run ended in the wrong state, a process did not start).</summary>
internal sealed class BenchmarkBrokeException(string message) : Exception(message);

/// <summary>
/// The figures, printed as one table: median, p95 and max of each measurement, its goal and PASS/MISS (the p95
/// against the goal; "info" where the issue sets no goal). A correctness check that fails marks the run broken.
/// </summary>
internal sealed class ResultTable
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    public bool Broken { get; private set; }

    /// <summary>Adds a measurement; <paramref name="goal"/> is an upper bound in <paramref name="unit"/>, or null.</summary>
    /// <param name="judgeMax">The goal bounds the largest sample (a longest wait), not the p95.</param>
    public void Add(string metric, IReadOnlyList<double> samples, string unit, double? goal = null, string? goalText = null, bool judgeMax = false)
    {
        if (samples.Count == 0)
        {
            throw new BenchmarkBrokeException($"No samples for '{metric}'.");
        }

        var sorted = samples.Order().ToArray();
        var p95 = Percentile(sorted, 0.95);
        _rows.Add(
        [
            metric,
            sorted.Length.ToString(CultureInfo.InvariantCulture),
            Format(Percentile(sorted, 0.5), unit),
            Format(p95, unit),
            Format(sorted[^1], unit),
            goalText ?? (goal is { } g ? $"{(judgeMax ? "max " : "")}≤ {Format(g, unit)}" : "—"),
            goal is { } bound ? ((judgeMax ? sorted[^1] : p95) <= bound ? "PASS" : "MISS") : "info",
        ]);
    }

    /// <summary>Adds a correctness check: <paramref name="seen"/> of <paramref name="expected"/> held.</summary>
    public void Check(string metric, int seen, int expected)
    {
        var ok = seen == expected;
        Broken |= !ok;
        var text = $"{seen}/{expected}";
        _rows.Add([metric, expected.ToString(CultureInfo.InvariantCulture), text, text, text, $"{expected}/{expected}", ok ? "PASS" : "BROKEN"]);
    }

    /// <summary>A line printed under the table.</summary>
    public void Note(string note) => _notes.Add(note);

    public void Print(TextWriter output)
    {
        string[] header = ["metric", "n", "median", "p95", "max", "goal", "result"];
        var widths = header.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i is 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        output.WriteLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row));
        }

        foreach (var note in _notes)
        {
            output.WriteLine(note);
        }
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Format(double value, string unit) => unit switch
    {
        "s" => $"{value.ToString("0.00", CultureInfo.InvariantCulture)} s",
        _ => $"{value.ToString("0.0", CultureInfo.InvariantCulture)} {unit}",
    };
}
