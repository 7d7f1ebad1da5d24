using System.Security;
using FlinkBeam.Cluster.Catalog;

namespace FlinkBeam.AppHost;

/// <summary>How the AppHost reports a configuration it cannot run with: one line, never a stack trace.</summary>
internal static class StartupErrors
{
    /// <summary>The exit code of a configuration the AppHost cannot run with, as the Submitter's bad input.</summary>
    public const int BadConfiguration = 2;

    /// <summary>
    /// Builds the model with <paramref name="build"/>; a problem the user can fix (a setting, a file, a folder) is written
    /// to <paramref name="error"/> as one line and answered with <see cref="BadConfiguration"/>. Null when the model is built.
    /// </summary>
    public static int? Report(Action build, TextWriter error)
    {
        try
        {
            build();
            return null;
        }
        catch (Exception e) when (IsConfiguration(e))
        {
            error.WriteLine($"The AppHost cannot start: {Sentence(e)}");
            return BadConfiguration;
        }
    }

    // A guard's ArgumentException ends its message with " (Parameter 'name')", which means nothing to a user.
    private static string Sentence(Exception e) =>
        e is ArgumentException { ParamName: { } name } && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? e.Message[..^$" (Parameter '{name}')".Length]
            : e.Message;

    /// <summary>Whether <paramref name="e"/> says what is wrong with the configuration or the files it names.</summary>
    public static bool IsConfiguration(Exception e) =>
        e is ArgumentException or CatalogException or IOException or UnauthorizedAccessException or SecurityException;
}
