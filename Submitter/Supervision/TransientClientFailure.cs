using System.Text.RegularExpressions;

namespace FlinkBeam.Submitter.Supervision;

/// <summary>
/// Output of a client that failed before any job existed for a reason worth retrying: the Python SDK's
/// <c>GetJobMetrics()</c> bug on the in-process job service (BEAM-9214), and the job server not accepting
/// connections yet while it starts.
/// </summary>
public static partial class TransientClientFailure
{
    private static readonly (string Name, Regex Pattern)[] Signatures =
    [
        ("GetJobMetrics() missing 1 required positional argument", GetJobMetrics()),
        ("gRPC StatusCode.UNAVAILABLE", Unavailable()),
        ("failed to connect to all addresses", FailedToConnect()),
        ("connection refused", ConnectionRefused()),
    ];

    /// <summary>The name of the first signature found in <paramref name="lines"/>, or null.</summary>
    public static string? Match(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            foreach (var (name, pattern) in Signatures)
            {
                if (pattern.IsMatch(line))
                {
                    return name;
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"GetJobMetrics\(\) missing 1 required positional argument", RegexOptions.CultureInvariant)]
    private static partial Regex GetJobMetrics();

    [GeneratedRegex(@"StatusCode\.UNAVAILABLE", RegexOptions.CultureInvariant)]
    private static partial Regex Unavailable();

    [GeneratedRegex("failed to connect to all addresses", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FailedToConnect();

    [GeneratedRegex(@"connection refused|ConnectionRefusedError", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionRefused();
}
