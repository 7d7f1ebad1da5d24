using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;
using FlinkBeam.Submitter.Readiness;
using FlinkBeam.Submitter.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FlinkBeam.Submitter.Cli;

/// <summary>The services of one command-line invocation; every log line goes to stderr so stdout stays machine-readable.</summary>
internal static class CliServices
{
    /// <summary>Only the readiness gate (<c>check</c>).</summary>
    public static ServiceProvider BuildGate(SubmitterOptions options) =>
        Base(options).AddReadinessGate().BuildServiceProvider(validateScopes: true);

    /// <summary>The gate and the run engine over an already validated catalog (<c>run</c>).</summary>
    public static ServiceProvider Build(SubmitterOptions options, PipelineCatalog catalog)
    {
        var services = Base(options).AddReadinessGate();
        services.AddSingleton(catalog);
        services.AddSubmitterEngine();
        return services.BuildServiceProvider(validateScopes: true);
    }

    private static ServiceCollection Base(SubmitterOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IOptions<SubmitterOptions>>(Options.Create(options));
        services.AddExplicitServiceEndpoints();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddFilter("Microsoft", LogLevel.Warning);
            logging.AddFilter("System", LogLevel.Warning);
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
