using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace FlinkBeam.Hosting;

/// <summary>
/// The commands of a pipeline's row, and the Submitter's "Cancel active runs": each one call of the Submitter's API
/// (<see cref="SubmitterApiClient"/>), whose answer becomes the command's result in the Submitter's words.
/// </summary>
internal static class PipelineCommands
{
    /// <summary>The Run command's one input: extra arguments for the pipeline, as one line.</summary>
    public const string ArgsInput = "args";

    /// <summary>
    /// Start run: takes extra arguments, which the Submitter judges before anything starts. The dashboard's toast names
    /// the command and says whether it succeeded, so the command is named for what its success means: a run was
    /// started (accepted); the row shows what becomes of it, and the result (the notification, and the run record
    /// under "View response") names it.
    /// </summary>
    public static CommandOptions RunOptions(PipelineResource pipeline) => new()
    {
        Description = $"Runs {pipeline.Pipeline} on the cluster now, with the catalog's arguments and any extra ones; its row follows the run.",
        IconName = "Play",
        IsHighlighted = true,
        Arguments =
        [
            new InteractionInput
            {
                Name = ArgsInput,
                Label = "Extra arguments",
                Description = "Passed to the pipeline after the catalog's arguments, as a list: spaces separate arguments, quotes keep spaces, a backslash keeps the next character; nothing is run through a shell. The options the Submitter sets (--runner, --job_name, ...) cannot be given.",
                InputType = InputType.Text,
                Placeholder = "--min-count 2",
            },
        ],
        ValidateArguments = async context =>
        {
            var input = context.Inputs[ArgsInput];
            if (await ValidateAsync(pipeline, input.Value, context.CancellationToken).ConfigureAwait(false) is { } problem)
            {
                context.AddValidationError(input, problem);
            }
        },
    };

    /// <summary>Cancel: the pipeline's active runs, after a confirmation.</summary>
    public static CommandOptions CancelOptions(PipelineResource pipeline) => new()
    {
        Description = $"Cancels every active run of {pipeline.Pipeline} on this Submitter, and its Flink job.",
        IconName = "Stop",
        ConfirmationMessage = $"Cancel every active run of {pipeline.Pipeline} and its Flink job?",
    };

    /// <summary>
    /// Why the Submitter would refuse a run of <paramref name="pipeline"/> with <paramref name="argsLine"/>, or null when
    /// it would accept it: the line cannot be split, or <c>POST /runs/validate</c> answered a problem.
    /// </summary>
    public static async Task<string?> ValidateAsync(PipelineResource pipeline, string? argsLine, CancellationToken cancellationToken)
    {
        var (args, error) = RunArguments.Split(argsLine);
        if (error is not null)
        {
            return error;
        }

        var problem = await new SubmitterApiClient(pipeline.Submitter).ValidateRunAsync(pipeline.Pipeline, args, cancellationToken).ConfigureAwait(false);
        return problem?.Detail;
    }

    /// <summary>Starts a run; the result names its id and says it was accepted, which is all <c>POST /runs</c> answers.</summary>
    public static async Task<ExecuteCommandResult> RunAsync(PipelineResource pipeline, ExecuteCommandContext context)
    {
        var (args, error) = RunArguments.Split(context.Arguments.TryGetByName(ArgsInput, out var input) ? input.Value : null);
        if (error is not null)
        {
            return CommandResults.Failure(error);
        }

        var answer = await new SubmitterApiClient(pipeline.Submitter).StartRunAsync(pipeline.Pipeline, args, context.CancellationToken).ConfigureAwait(false);
        return answer.Value is { } run
            ? CommandResults.Success($"Run {run.Id} of {pipeline.Pipeline} accepted: it is {run.State}, and the row follows it to its end.", answer.Json!, CommandResultFormat.Json)
            : CommandResults.Failure(answer.Problem?.Detail ?? $"The Submitter accepted a run of {pipeline.Pipeline} but did not say which.");
    }

    /// <summary>Cancels the active runs of <paramref name="pipeline"/> (every pipeline's when null); the result names them.</summary>
    public static async Task<ExecuteCommandResult> CancelAsync(SubmitterResource submitter, string? pipeline, CancellationToken cancellationToken)
    {
        var answer = await new SubmitterApiClient(submitter).CancelActiveAsync(pipeline, cancellationToken).ConfigureAwait(false);
        if (answer.Value is not { } cancelled)
        {
            return CommandResults.Failure(answer.Problem?.Detail);
        }

        var what = pipeline is null ? "active run" : $"active run of {pipeline}";
        return CommandResults.Success(cancelled.Count switch
        {
            0 => $"No {what} to cancel.",
            1 => $"Cancelled run {cancelled[0].Id}.",
            _ => $"Cancelled {cancelled.Count} runs: {string.Join(", ", cancelled.Select(r => r.Id))}.",
        });
    }
}
