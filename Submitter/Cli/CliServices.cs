using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Runs;
using FlinkBeam.Submitter.Store;
using FlinkBeam.Submitter.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Cli;

/// <summary>
/// The services of one command-line invocation, built like the service's: the options the flags give, checked by the
/// same validator; every log line goes to stderr so stdout stays machine-readable.
/// </summary>
internal static class CliServices
{
    /// <summary>Only the readiness gate (<c>check</c>).</summary>
    public static ServiceProvider BuildGate(Action<SubmitterOptions> configure) =>
        Base(configure).AddReadinessGate().BuildServiceProvider(validateScopes: true);

    /// <summary>The run engine, registered as one command-line run in the data directory (<c>run</c>).</summary>
    public static ServiceProvider BuildEngine(Action<SubmitterOptions> configure) =>
        Base(configure).AddSubmitterEngine(Records.SubmitterInstance.RunRole).BuildServiceProvider(validateScopes: true);

    /// <summary>
    /// Checks what every command needs before it touches the cluster, in order: the options (every problem, one line
    /// each), then each of <paramref name="parts"/> (e.g. the catalog, the history), resolved so that a bad file or
    /// directory is reported by name now. False when something is wrong; the lines are on <paramref name="stderr"/>.
    /// </summary>
    public static async Task<bool> PreflightAsync(IServiceProvider services, TextWriter stderr, params Type[] parts)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<SubmitterOptions>>().Value;
            foreach (var part in parts)
            {
                services.GetRequiredService(part);
            }

            return true;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await stderr.WriteLineAsync(failure).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is CatalogException or RunStoreException or DataDirectoryInUseException or InvalidOperationException)
        {
            await stderr.WriteLineAsync(e.Message).ConfigureAwait(false);
        }

        return false;
    }

    private static ServiceCollection Base(Action<SubmitterOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddOptions<SubmitterOptions>().Configure(configure);
        services.AddSingleton<IValidateOptions<SubmitterOptions>, SubmitterOptionsValidator>();
        services.AddExplicitServiceEndpoints();
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(LogLevelDefaults.ForCommandLine());
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
            logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        return services;
    }
}
