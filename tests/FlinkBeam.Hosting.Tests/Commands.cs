using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkBeam.Hosting.Tests;

/// <summary>Runs a resource's dashboard command the way Aspire's command service does, and reads what the dashboard shows of it.</summary>
internal static class Commands
{
    /// <summary>The context a command is executed with, with <paramref name="arguments"/> as its inputs' values.</summary>
    public static ExecuteCommandContext Context(DistributedApplication app, string resource, CancellationToken cancellationToken, params (string Name, string? Value)[] arguments) => new()
    {
        Services = app.Services,
        ResourceName = resource,
        CancellationToken = cancellationToken,
        Logger = NullLogger.Instance,
        Arguments = new InteractionInputCollection(
            arguments.Select(a => new InteractionInput { Name = a.Name, InputType = InputType.Text, Value = a.Value }).ToList()),
    };

    /// <summary>
    /// The messages the dashboard shows beside each input of a command whose arguments were refused. Aspire 13.6.5 keeps
    /// them internal (<c>ExecuteCommandResult.InvalidArguments</c>, <c>InteractionInput.ValidationErrors</c>) and hands
    /// them to the dashboard and the CLI; this reads the same fields.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ValidationErrors(ExecuteCommandResult result)
    {
        var inputs = typeof(ExecuteCommandResult).GetProperty("InvalidArguments", BindingFlags.Instance | BindingFlags.NonPublic)!
            .GetValue(result) as InteractionInputCollection;
        var errors = typeof(InteractionInput).GetProperty("ValidationErrors", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return (inputs ?? new InteractionInputCollection([]))
            .ToDictionary(i => i.Name, i => (IReadOnlyList<string>)((List<string>)errors.GetValue(i)!).ToList());
    }
}
