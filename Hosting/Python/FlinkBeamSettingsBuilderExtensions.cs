using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>Reads the <c>FlinkBeam</c> settings for an AppHost.</summary>
public static class FlinkBeamSettingsBuilderExtensions
{
    /// <summary>
    /// Reads and validates the <c>FlinkBeam</c> section (Cluster's <see cref="FlinkBeamSettings.Load"/>). When it names no
    /// <c>PythonVersion</c>, the minor version of the Python on PATH (which the pipelines' virtual environment is made
    /// with) becomes the default if the Beam release supports it, so the venv, the SDK image and the Submitter's check
    /// agree out of the box. When they cannot agree, one sentence saying why and what to do is logged as the AppHost starts.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <exception cref="UnsupportedVersionException">The versions are malformed or not supported together.</exception>
    /// <exception cref="ArgumentException">Another setting is invalid; the message names it and its value.</exception>
    public static FlinkBeamSettings LoadFlinkBeamSettings(this IDistributedApplicationBuilder builder) =>
        builder.LoadFlinkBeamSettings(new PythonOnPathProbe());

    /// <summary>
    /// As <see cref="LoadFlinkBeamSettings(IDistributedApplicationBuilder)"/>, with the answer of a probe for the Python on
    /// PATH started earlier (before the builder was made, so that its process ran meanwhile).
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="python">The probe; its answer is waited for here.</param>
    /// <exception cref="UnsupportedVersionException">The versions are malformed or not supported together.</exception>
    /// <exception cref="ArgumentException">Another setting is invalid; the message names it and its value.</exception>
    public static FlinkBeamSettings LoadFlinkBeamSettings(this IDistributedApplicationBuilder builder, PythonOnPathProbe python)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(python);

        var section = builder.Configuration.GetSection(FlinkBeamSettings.SectionName);
        var choice = PythonVersionChoice.Make(section["BeamVersion"], section["PythonVersion"], python.Answer());
        if (choice.Version is { } version)
        {
            section["PythonVersion"] = version.ToString();
        }

        if (choice.Warning is { } warning)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FlinkBeam.Hosting").LogWarning("{Warning}", warning);
                return Task.CompletedTask;
            });
        }

        return FlinkBeamSettings.Load(builder.Configuration);
    }

    /// <summary>
    /// The host port of the Submitter's API from <c>FlinkBeam:SubmitterPort</c>, or null (a free port) when it is not set.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <exception cref="ArgumentException">The setting is not a port number; the message names it and its value.</exception>
    public static int? LoadSubmitterPort(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        const string setting = $"{FlinkBeamSettings.SectionName}:SubmitterPort";
        var text = builder.Configuration[setting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new ArgumentException($"{setting} '{text}' is not a port number between 1 and 65535, e.g. 5080.");
    }
}
