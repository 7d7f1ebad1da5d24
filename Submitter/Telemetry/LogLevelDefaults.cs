using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace FlinkBeam.Submitter.Telemetry;

/// <summary>
/// The log levels the Submitter starts from, in the service and on the command line alike. They are the lowest-priority
/// configuration, so <c>appsettings.json</c>, <c>Logging__LogLevel__&lt;category&gt;</c> variables or the command line
/// override each of them.
/// </summary>
/// <remarks>
/// A cluster that is not up yet is the normal state at start-up, and the Submitter reports it once per probe round in
/// its own words (the readiness gate, <c>/health</c>'s body, a run's history). The libraries underneath would report
/// the same refused connection again on every poll, with a stack trace: the resilience pipeline's attempts and retries,
/// the gRPC client's failed calls, and the health check service's Unhealthy results. Those are quiet by default.
/// </remarks>
internal static class LogLevelDefaults
{
    /// <summary>Category → level, as the <c>Logging:LogLevel</c> section spells them.</summary>
    public static IReadOnlyDictionary<string, string> Levels { get; } = new Dictionary<string, string>
    {
        ["Default"] = "Information",
        ["Microsoft"] = "Warning",
        ["Microsoft.Hosting.Lifetime"] = "Information",
        ["System"] = "Warning",
        ["Polly"] = "None",
        ["Grpc"] = "Warning",
        ["Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
    };

    /// <summary>Puts the defaults beneath every other source of <paramref name="configuration"/>.</summary>
    public static void AddBeneath(IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = Levels.Select(level => KeyValuePair.Create<string, string?>($"Logging:LogLevel:{level.Key}", level.Value)),
        });
    }

    /// <summary>The <c>Logging</c> section for a process without a host: the defaults, then the environment.</summary>
    public static IConfiguration ForCommandLine()
    {
        var configuration = new ConfigurationBuilder();
        AddBeneath(configuration);
        return configuration.AddEnvironmentVariables().Build().GetSection("Logging");
    }
}
