using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting;

/// <summary>
/// Which Python minor version the cluster uses when configuration names none, and the one sentence a user needs when
/// the pipelines' virtual environment cannot match the cluster. The venv is made with the Python found on PATH, and
/// the SDK image (so the TaskManager image) follows <c>PythonVersion</c>, so the two agree when that Python's minor
/// becomes the default.
/// </summary>
/// <param name="Version">The Python version to use, or null for Cluster's default.</param>
/// <param name="Warning">What will go wrong and how to fix it, or null when nothing will.</param>
internal sealed record PythonVersionChoice(MinorVersion? Version, string? Warning)
{
    /// <summary>Decides from the configured versions and the Python found on PATH.</summary>
    /// <param name="beam">The configured Beam release (validated later by Cluster; unparsable text leaves the choice to it).</param>
    /// <param name="configured">The configured <c>PythonVersion</c>, or null/blank.</param>
    /// <param name="found">The Python found on PATH, or null when none runs.</param>
    public static PythonVersionChoice Make(string? beam, string? configured, (string Command, MinorVersion Version)? found)
    {
        var beamVersion = BeamVersion.TryParse(string.IsNullOrWhiteSpace(beam) ? VersionDefaults.Beam : beam, out var parsed) ? parsed : (BeamVersion?)null;
        if (beamVersion is not { } release || CompatibilityMatrix.Find(release) is not { } row)
        {
            return new PythonVersionChoice(null, null);
        }

        const string setting = $"{FlinkBeamSettings.SectionName}:PythonVersion";
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return found is { } onPath && MinorVersion.TryParse(configured.Trim(), out var wanted) && wanted != onPath.Version
                ? new PythonVersionChoice(null,
                    $"{setting} is {wanted}, but the pipelines' virtual environment is made with `{onPath.Command}`, which is Python {onPath.Version}: "
                    + $"its environment check will fail until Python {wanted} comes first on PATH as `{onPath.Command}` (or remove the setting to use {onPath.Version}).")
                : new PythonVersionChoice(null, null);
        }

        if (found is not { } python)
        {
            return new PythonVersionChoice(null,
                $"No Python on PATH ({string.Join(", ", PythonInterpreter.Commands)}): the pipelines' virtual environment cannot be made; "
                + $"install Python {row.PythonRange} (what Beam {release} supports) and start the AppHost again.");
        }

        return row.SupportsPython(python.Version)
            ? new PythonVersionChoice(python.Version, null)
            : new PythonVersionChoice(null,
                $"`{python.Command}` is Python {python.Version}, which Beam {release} does not support (it supports {row.PythonRange}): "
                + $"the pipelines' environment check will fail until a supported Python comes first on PATH; {setting} then follows it by itself.");
    }
}
