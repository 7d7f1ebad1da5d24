using System.Diagnostics.CodeAnalysis;

namespace FlinkBeam.Cluster.Versions;

/// <summary>An Apache Beam release, e.g. <c>2.77.0</c>.</summary>
/// <param name="Major">Major version.</param>
/// <param name="Minor">Minor version; Beam's compatibility is decided per minor release.</param>
/// <param name="Patch">Patch version.</param>
public readonly record struct BeamVersion(int Major, int Minor, int Patch) : IComparable<BeamVersion>
{
    /// <summary>Major version.</summary>
    public int Major { get; init; } = Major >= 0 ? Major : throw new ArgumentOutOfRangeException(nameof(Major), Major, "A version number cannot be negative.");

    /// <summary>Minor version.</summary>
    public int Minor { get; init; } = Minor >= 0 ? Minor : throw new ArgumentOutOfRangeException(nameof(Minor), Minor, "A version number cannot be negative.");

    /// <summary>Patch version.</summary>
    public int Patch { get; init; } = Patch >= 0 ? Patch : throw new ArgumentOutOfRangeException(nameof(Patch), Patch, "A version number cannot be negative.");

    /// <summary>The release line without the patch, e.g. <c>2.77</c>; the compatibility matrix is keyed by it.</summary>
    public MinorVersion Release => new(Major, Minor);

    /// <summary>Parses <c>major.minor.patch</c>, e.g. <c>2.77.0</c>.</summary>
    /// <exception cref="UnsupportedVersionException">The text is not such a version.</exception>
    public static BeamVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var version)
            ? version
            : throw new UnsupportedVersionException("Beam", $"Beam version '{text}' is not a version like {VersionDefaults.Beam}.");
    }

    /// <summary>Parses <c>major.minor.patch</c> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out BeamVersion version)
    {
        if (VersionText.TryParse(text, 3, out var parts))
        {
            version = new BeamVersion(parts[0], parts[1], parts[2]);
            return true;
        }

        version = default;
        return false;
    }

    /// <inheritdoc />
    public int CompareTo(BeamVersion other)
    {
        var byMajor = Major.CompareTo(other.Major);
        if (byMajor != 0)
        {
            return byMajor;
        }

        var byMinor = Minor.CompareTo(other.Minor);
        return byMinor != 0 ? byMinor : Patch.CompareTo(other.Patch);
    }

    /// <summary>The version as <c>major.minor.patch</c>.</summary>
    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    /// <summary>Whether <paramref name="left"/> is an older release than <paramref name="right"/>.</summary>
    public static bool operator <(BeamVersion left, BeamVersion right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is a newer release than <paramref name="right"/>.</summary>
    public static bool operator >(BeamVersion left, BeamVersion right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is the same or an older release than <paramref name="right"/>.</summary>
    public static bool operator <=(BeamVersion left, BeamVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is the same or a newer release than <paramref name="right"/>.</summary>
    public static bool operator >=(BeamVersion left, BeamVersion right) => left.CompareTo(right) >= 0;
}
