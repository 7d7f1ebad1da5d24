using System.Globalization;
using FlinkBeam.Cluster.Pipelines;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Hosting;

/// <summary>What the TaskManager image's entrypoint is told about the SDK harness, and the one sentence the AppHost says about it.</summary>
/// <param name="Environment">The TaskManager's environment variables.</param>
/// <param name="Notice">Said once at start when files in outputs/ will not simply belong to the user who ran the AppHost; else null.</param>
internal sealed record SdkHarnessUser(IReadOnlyList<KeyValuePair<string, string>> Environment, string? Notice)
{
    /// <summary>Which environment runs the SDK harness: <c>External</c> (the worker pool) or <c>Process</c> (the TaskManager).</summary>
    public const string EnvironmentVariable = "FLINKBEAM_SDK_ENVIRONMENT";

    /// <summary>The host user's id; the worker pool and its SDK workers run as it.</summary>
    public const string UidVariable = "FLINKBEAM_UID";

    /// <summary>The host user's group id.</summary>
    public const string GidVariable = "FLINKBEAM_GID";

    /// <summary>
    /// Decides for a run of the AppHost: the host user's ids go to the TaskManagers when they are known (Linux), so files the
    /// SDK workers write to the bind-mounted outputs/ belong to that user; the notice says where that is not what happens.
    /// </summary>
    /// <param name="host">The AppHost's user; null where the platform has no ids to pass.</param>
    /// <param name="environment">Where the TaskManagers run the SDK harness.</param>
    /// <param name="platform">The platform's name for the notice, e.g. <c>macOS</c>.</param>
    public static SdkHarnessUser Decide(HostUser? host, SdkEnvironment environment, string platform)
    {
        var variables = new List<KeyValuePair<string, string>> { new(EnvironmentVariable, environment.ToString()) };
        if (host is not { } user)
        {
            return new(variables, $"On {platform} the AppHost passes no user ids to the TaskManagers: their SDK workers write outputs/ "
                + $"as the owner the container engine reports for it (Docker Desktop reports you), or as Flink's user (uid {FlinkImageLayouts.FlinkUserId}) if it reports root.");
        }

        variables.Add(new(UidVariable, user.Uid.ToString(CultureInfo.InvariantCulture)));
        variables.Add(new(GidVariable, user.Gid.ToString(CultureInfo.InvariantCulture)));
        var notice = (environment, user.IsRoot) switch
        {
            (SdkEnvironment.Process, _) => $"With Environment=Process the TaskManagers run the SDK harness themselves, as Flink's user "
                + $"(uid {FlinkImageLayouts.FlinkUserId}) with the group of outputs/ (gid {user.Gid}): files there belong to uid "
                + $"{FlinkImageLayouts.FlinkUserId}, group-writable, so you can edit and delete them; Environment=External writes them as you.",
            (_, true) => "The AppHost runs as root, so the TaskManagers' SDK workers run as root too and files in outputs/ belong to root.",
            _ => null,
        };
        return new(variables, notice);
    }

    /// <summary>The platform's name for <see cref="Decide"/>'s notice.</summary>
    public static string PlatformName() =>
        OperatingSystem.IsMacOS() ? "macOS" : OperatingSystem.IsWindows() ? "Windows" : RuntimeInformationName();

    private static string RuntimeInformationName() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;
}
