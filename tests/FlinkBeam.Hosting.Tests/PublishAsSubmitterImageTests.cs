using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary><c>PublishAsSubmitterImage</c>: a container built from <c>Submitter/Dockerfile</c> when publishing, nothing under <c>dotnet run</c>.</summary>
public sealed class PublishAsSubmitterImageTests
{
    [Fact]
    public async Task Publishing_builds_the_Submitter_from_its_Dockerfile_with_the_history_on_a_volume_and_the_API_key()
    {
        var versions = VersionSet.Create("2.77.0", "2.2", "3.13");
        var builder = Model.PublishMode();
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).PublishAsSubmitterImage(versions, RepositoryPaths.Root);
        await using var app = builder.Build();

        var container = Assert.Single(builder.Resources.OfType<ContainerResource>(), r => r.Name == ResourceNames.Submitter);
        Assert.True(container.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
        Assert.Equal(RepositoryPaths.Root, build.ContextPath);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, "Submitter", "Dockerfile"), build.DockerfilePath);
        Assert.Equal(("flinkbeam/submitter", "2.77.0-python3.13"), (build.ImageName, build.ImageTag));
        Assert.Equal(SubmitterImageBuild.Arguments(versions).ToDictionary(a => a.Key, a => (object?)a.Value), build.BuildArguments);
        Assert.Equal(ContainerMountType.Volume, Model.Mount(container, ContainerPaths.SubmitterData).Type);
        var endpoint = Model.Endpoint(container, EndpointNames.SubmitterHttp);
        Assert.Equal((SubmitterImageExtensions.ContainerPort, true), (endpoint.TargetPort, endpoint.IsExternal));
        var environment = await Model.EnvironmentAsync(app, container);
        Assert.Equal(ResourceNames.Submitter, environment["Submitter__AllowedHosts__0"]);
    }

    [Fact]
    public async Task Under_dotnet_run_the_Submitter_stays_a_project()
    {
        var builder = Model.RunMode();
        builder.AddSubmitter<SubmitterProject>(ResourceNames.Submitter).PublishAsSubmitterImage(VersionSet.Default, RepositoryPaths.Root);
        await using var app = builder.Build();

        Assert.Single(builder.Resources.OfType<ProjectResource>(), r => r.Name == ResourceNames.Submitter);
        Assert.False(builder.Resources.Single(r => r.Name == ResourceNames.Submitter).TryGetLastAnnotation<DockerfileBuildAnnotation>(out _));
    }
}
