namespace FlinkBeam.Testing;

/// <summary>How a test starts the Submitter: the build output under <c>dotnet</c>, or a native executable.</summary>
public sealed record SubmitterCommand(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The environment variable naming a native Submitter executable for the tests to run instead of the build output.</summary>
    public const string NativeVariable = "FLINKBEAM_SUBMITTER";

    /// <summary><c>dotnet Submitter.dll</c>: the build output next to the assembly that references the Submitter (JIT-compiled).</summary>
    public static SubmitterCommand BuildOutput { get; } = new(
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, "Submitter.dll")]);

    /// <summary>The native executable <c>FLINKBEAM_SUBMITTER</c> names (published with <c>-p:PublishAot=true</c>), or null when it is unset.</summary>
    public static SubmitterCommand? Native { get; } = FromEnvironment();

    /// <summary><see cref="Native"/> when set, else <see cref="BuildOutput"/>.</summary>
    public static SubmitterCommand Default => Native ?? BuildOutput;

    public override string ToString() => string.Join(' ', [FileName, .. LeadingArguments]);

    private static SubmitterCommand? FromEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(NativeVariable);
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        return File.Exists(path)
            ? new SubmitterCommand(Path.GetFullPath(path), [])
            : throw new InvalidOperationException($"{NativeVariable} names '{path}', which is not a file.");
    }
}
