using System.Diagnostics.CodeAnalysis;

namespace FlinkBeam.Cluster.Versions;

/// <summary>A <c>major.minor</c> version such as Flink <c>1.20</c> or Python <c>3.12</c>.</summary>
/// <param name="Major">Major version.</param>
/// <param name="Minor">Minor version.</param>
public readonly record struct MinorVersion(int Major, int Minor) : IComparable<MinorVersion>
{
    /// <summary>Major version.</summary>
    public int Major { get; init; } = Major >= 0 ? Major : throw new ArgumentOutOfRangeException(nameof(Major), Major, "A version number cannot be negative.");

    /// <summary>Minor version.</summary>
    public int Minor { get; init; } = Minor >= 0 ? Minor : throw new ArgumentOutOfRangeException(nameof(Minor), Minor, "A version number cannot be negative.");

    /// <summary>Parses <c>major.minor</c>, e.g. <c>1.20</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="component">What the version belongs to (<c>"Flink"</c>, <c>"Python"</c>); used in the message.</param>
    /// <exception cref="UnsupportedVersionException">The text is not a <c>major.minor</c> version.</exception>
    public static MinorVersion Parse(string text, string component)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        return TryParse(text, out var version)
            ? version
            : throw new UnsupportedVersionException(component, $"{component} version '{text}' is not a version like {ExampleFor(component)}.");
    }

    /// <summary>Parses <c>major.minor</c> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out MinorVersion version)
    {
        if (VersionText.TryParse(text, 2, out var parts))
        {
            version = new MinorVersion(parts[0], parts[1]);
            return true;
        }

        version = default;
        return false;
    }

    /// <inheritdoc />
    public int CompareTo(MinorVersion other)
    {
        var byMajor = Major.CompareTo(other.Major);
        return byMajor != 0 ? byMajor : Minor.CompareTo(other.Minor);
    }

    /// <summary>The version as <c>major.minor</c>.</summary>
    public override string ToString() => $"{Major}.{Minor}";

    /// <summary>Whether <paramref name="left"/> is older than <paramref name="right"/>.</summary>
    public static bool operator <(MinorVersion left, MinorVersion right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is newer than <paramref name="right"/>.</summary>
    public static bool operator >(MinorVersion left, MinorVersion right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is the same or older than <paramref name="right"/>.</summary>
    public static bool operator <=(MinorVersion left, MinorVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is the same or newer than <paramref name="right"/>.</summary>
    public static bool operator >=(MinorVersion left, MinorVersion right) => left.CompareTo(right) >= 0;

    private static string ExampleFor(string component) => component switch
    {
        "Flink" => VersionDefaults.Flink,
        "Python" => VersionDefaults.Python,
        _ => "1.0",
    };
}
