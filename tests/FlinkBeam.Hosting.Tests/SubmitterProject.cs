using Aspire.Hosting;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary>
/// The Submitter project as the AppHost's generated <c>Projects.FlinkBeam_Submitter</c> names it. This project references
/// the Submitter, so it is built, in the same configuration, before the tests run: the orchestrator starts it with
/// <c>dotnet run --no-build</c>.
/// </summary>
internal sealed class SubmitterProject : IProjectMetadata
{
    public string ProjectPath { get; } = Path.Combine(RepositoryPaths.Root, "Submitter", "FlinkBeam.Submitter.csproj");

    public bool SuppressBuild => true;
}
