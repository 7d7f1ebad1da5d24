namespace FlinkBeam.Cluster.Pipelines;

/// <summary>A caller's extra argument sets an option that is not the caller's to set (see <see cref="PipelineArguments"/>).</summary>
/// <param name="option">The option as the caller wrote it, e.g. <c>--setup_file</c>.</param>
/// <param name="message">Which argument, which option and why, in one sentence.</param>
public sealed class RefusedOptionException(string option, string message) : ArgumentException(message)
{
    /// <summary>The option as the caller wrote it, e.g. <c>--setup_file</c>.</summary>
    public string Option { get; } = option;
}
