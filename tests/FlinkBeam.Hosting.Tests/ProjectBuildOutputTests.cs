using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>WithBuildOutputLaunch</c>: the project's built executable instead of <c>dotnet run</c>, only where nothing else changes.</summary>
public sealed class ProjectBuildOutputTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("flinkbeam-build-output-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task In_run_mode_the_executable_beside_the_assembly_starts_in_the_project_folder()
    {
        var executable = Assert.Single(await LaunchesAsync(Model.RunMode(), withExecutable: true));

        Assert.Equal(Path.Combine(_output, OperatingSystem.IsWindows() ? "Submitter.exe" : "Submitter"), executable.Command);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, "Submitter"), executable.WorkingDirectory);
    }

    [Fact]
    public async Task Without_an_executable_beside_the_assembly_Aspire_runs_the_project() =>
        Assert.Empty(await LaunchesAsync(Model.RunMode(), withExecutable: false));

    [Theory]
    [InlineData(ProjectBuildOutputExtensions.DebugSessionPort, "52000")]
    [InlineData(ProjectBuildOutputExtensions.DotnetWatch, "true")]
    [InlineData(ProjectBuildOutputExtensions.DotnetWatch, "1")]
    public async Task An_IDE_session_or_dotnet_watch_keeps_Aspires_launch(string key, string value)
    {
        var builder = Model.RunMode();
        builder.Configuration[key] = value;

        Assert.Empty(await LaunchesAsync(builder, withExecutable: true));
    }

    [Fact]
    public async Task Publish_mode_keeps_the_project() =>
        Assert.Empty(await LaunchesAsync(Model.PublishMode(), withExecutable: true));

    // The executables the Submitter would be started with after WithBuildOutputLaunch: none means Aspire's `dotnet run`.
    private async Task<IReadOnlyList<ExecutableAnnotation>> LaunchesAsync(IDistributedApplicationBuilder builder, bool withExecutable)
    {
        var assembly = Path.Combine(_output, "Submitter.dll");
        File.WriteAllText(assembly, "");
        if (withExecutable)
        {
            File.WriteAllText(Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null), "");
        }

        builder.AddSubmitter<SubmitterProject>("runs").WithBuildOutputLaunch(assembly);
        await using var app = builder.Build();
        return app.Single<ProjectResource>("runs").Annotations.OfType<ExecutableAnnotation>().ToList();
    }
}
