using System.CommandLine;
using System.CommandLine.Invocation;
using FlinkBeam.Submitter.Service;

namespace FlinkBeam.Submitter.Cli;

/// <summary>The Submitter's command line: <c>run</c>, <c>runs</c>, <c>check</c> and <c>serve</c> (the default).</summary>
public static class SubmitterCommandLine
{
    public static RootCommand Create(TextWriter stdout, TextWriter stderr)
    {
        var serve = new Command("serve",
            $"Service mode (the default without a command): the HTTP API on {ServiceHost.DefaultUrl} unless --urls, ASPNETCORE_URLS or "
            + "configuration say otherwise; settings from the 'Submitter' configuration section (appsettings.json, Submitter__* "
            + "variables, --Submitter:Key=value), cluster endpoints from Aspire's services__{name}__{endpoint}__0 entries; "
            + "starts the pipelines listed in Submitter:AutoRun once the cluster is ready; SIGTERM or Ctrl+C cancels active runs.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction(async (parse, _) => await ServiceHost.RunAsync([.. parse.UnmatchedTokens], stderr).ConfigureAwait(false));

        var root = new RootCommand(
            "Launches catalogued Apache Beam Python pipelines on Flink once the cluster is really ready, follows every run "
            + "to its end and keeps the history.\n"
            + $"Exit codes: {ExitCodes.Succeeded} Succeeded, {ExitCodes.Failed} Failed or TimedOut, {ExitCodes.BadInput} bad input "
            + $"(unknown pipeline, bad flag, bad catalog, version mismatch), {ExitCodes.NotReady} cluster not ready within the "
            + $"timeout, {ExitCodes.Cancelled} Cancelled (Ctrl+C or SIGTERM), {ExitCodes.InternalError} the Submitter itself failed.")
        {
            RunCommand.Create(stdout, stderr),
            RunsCommand.Create(stdout, stderr),
            CheckCommand.Create(stdout, stderr),
            serve,
        };
        root.SetAction(async (_, _) => await ServiceHost.RunAsync([], stderr).ConfigureAwait(false));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = Create(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command;
            var path = command is RootCommand ? "" : $" {command.Name}";
            await stderr.WriteLineAsync($"See '{root.Name}{path} --help'.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        try
        {
            // The commands handle SIGINT/SIGTERM themselves: a run must be cancelled on the cluster, not abandoned.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A fault of the Submitter itself: one line, never a stack trace.
            await stderr.WriteLineAsync($"The Submitter failed: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }
}
