using Aspire.Hosting;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Benchmarks;

/// <summary>The Submitter project, built with the benchmark: the orchestrator runs it without building it again.</summary>
internal sealed class SubmitterProject : IProjectMetadata
{
    public string ProjectPath { get; } = Path.Combine(RepositoryPaths.Root, "Submitter", "FlinkBeam.Submitter.csproj");

    public bool SuppressBuild => true;
}
