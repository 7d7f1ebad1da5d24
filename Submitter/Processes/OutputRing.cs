namespace FlinkBeam.Submitter.Processes;

/// <summary>The last N lines a client printed, safe to append from two readers and to read at any time.</summary>
internal sealed class OutputRing(int capacity)
{
    private readonly Lock _gate = new();
    private readonly string[] _lines = new string[Math.Max(1, capacity)];
    private int _next;
    private int _count;

    public long Total { get; private set; }

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines[_next] = line;
            _next = (_next + 1) % _lines.Length;
            _count = Math.Min(_count + 1, _lines.Length);
            Total++;
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            var result = new string[_count];
            var start = (_next - _count + _lines.Length) % _lines.Length;
            for (var i = 0; i < _count; i++)
            {
                result[i] = _lines[(start + i) % _lines.Length];
            }

            return result;
        }
    }
}
