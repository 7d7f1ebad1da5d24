namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Choices for <see cref="Extensions.AddServiceDefaults{TBuilder}(TBuilder, Action{ServiceDefaultsOptions})"/>.
/// </summary>
public sealed class ServiceDefaultsOptions
{
    /// <summary>
    /// The .NET activity sources traced by default. The instrumentation packages are not used, so the
    /// framework's own sources are subscribed by name.
    /// </summary>
    public static IReadOnlyList<string> BuiltInActivitySources { get; } =
    [
        "System.Net.Http",
        "Microsoft.AspNetCore",
    ];

    /// <summary>The .NET meters collected by default.</summary>
    public static IReadOnlyList<string> BuiltInMeters { get; } =
    [
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
    ];

    /// <summary>
    /// Extra <see cref="System.Diagnostics.ActivitySource"/> names to trace, in addition to
    /// <see cref="BuiltInActivitySources"/> and the application name.
    /// </summary>
    public IList<string> ActivitySources { get; } = [];

    /// <summary>
    /// Extra <see cref="System.Diagnostics.Metrics.Meter"/> names to collect, in addition to
    /// <see cref="BuiltInMeters"/> and the application name.
    /// </summary>
    public IList<string> Meters { get; } = [];

    /// <summary>
    /// The configuration section bound to <see cref="FlinkBeam.ServiceDefaults.Http.HttpResilienceOptions"/>.
    /// </summary>
    public string HttpResilienceSectionName { get; set; } = FlinkBeam.ServiceDefaults.Http.HttpResilienceOptions.DefaultSectionName;
}
