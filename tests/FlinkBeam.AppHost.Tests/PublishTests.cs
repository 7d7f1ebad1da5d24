using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using FlinkBeam.Cluster.Configuration;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;
using FlinkBeam.Testing;

namespace FlinkBeam.AppHost.Tests;

/// <summary>
/// Publish mode writes the topology as a docker-compose file (no container runtime needed): valid by the Compose
/// Specification's schema, every image declared or built, the Submitter built from its Dockerfile with its history on a
/// volume, and the volumes and start order of the model.
/// </summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("flinkbeam-compose-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private static readonly string[] Publish = ["--operation", "publish", "--step", "publish-compose"];

    /// <summary>Publishes, and returns the compose file with the model it was written from.</summary>
    private async Task<(ComposeDocument Compose, IReadOnlyList<IResource> Model)> PublishAsync(params string[] extra)
    {
        IReadOnlyList<IResource> model;
        await using (var builder = await AppHostModel.CreateAsync([.. Publish, "--output-path", _output, .. extra]))
        {
            await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
            model = builder.Resources.ToList();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await app.RunAsync(timeout.Token);
        }

        return (ComposeDocument.Load(_output), model);
    }

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(n => n!.ToString()).ToList(),
        JsonObject obj => obj.Select(p => p.Key).ToList(),
        null => [],
        _ => [node.ToString()],
    };

    private static JsonObject Environment(JsonObject service) => service["environment"]!.AsObject();

    private static string Setting(string name) => SubmitterSettingNames.EnvironmentVariable(name);

    [Fact]
    public async Task The_compose_file_is_valid_by_the_Compose_Specification_schema()
    {
        var (compose, _) = await PublishAsync();

        Assert.Empty(ComposeDocument.Errors(compose.Root));

        // The schema does catch a broken file: a service with a port of the wrong shape.
        var broken = JsonNode.Parse(compose.Root.ToJsonString())!;
        broken["services"]![ResourceNames.Submitter]!["ports"] = new JsonArray(new JsonObject { ["target"] = "not a port", ["nonsense"] = true });
        Assert.NotEmpty(ComposeDocument.Errors(broken));
    }

    [Fact]
    public async Task The_compose_file_has_every_cluster_service_and_the_Submitter_but_no_host_only_resource()
    {
        var (compose, _) = await PublishAsync();

        var names = compose.Services.Select(s => s.Key).ToList();
        Assert.Contains(ResourceNames.JobManager, names);
        Assert.Contains(ResourceNames.JobServer, names);
        Assert.Contains(ResourceNames.TaskManager(1), names);
        Assert.Contains(ResourceNames.TaskManager(2), names);
        Assert.Contains(ResourceNames.Submitter, names);
        Assert.DoesNotContain(ResourceNames.Pipelines, names);
        // The pipelines' rows are the dashboard's; compose has no such service.
        Assert.DoesNotContain("wordcount", names);
    }

    [Fact]
    public async Task Every_service_declares_its_image_and_the_built_ones_how_to_build_it()
    {
        var (compose, _) = await PublishAsync();

        foreach (var (name, node) in compose.Services)
        {
            var image = node!["image"]?.ToString();
            Assert.False(string.IsNullOrEmpty(image), $"{name} declares no image");
            Assert.DoesNotContain("${", image, StringComparison.Ordinal);
        }

        var built = compose.Services.Where(s => s.Value!["build"] is not null).Select(s => s.Key).Order().ToList();
        Assert.Equal([ResourceNames.TaskManager(1), ResourceNames.TaskManager(2), ResourceNames.Submitter], built);
        foreach (var name in built)
        {
            var build = compose.Service(name)["build"]!;
            var dockerfile = Path.GetFullPath(build["dockerfile"]!.ToString(), Path.GetFullPath(build["context"]!.ToString(), compose.Folder));
            Assert.True(File.Exists(dockerfile), $"{name}'s Dockerfile {dockerfile} does not exist");
        }

        // No variable left for an image the file names itself.
        var env = await File.ReadAllTextAsync(Path.Combine(_output, ".env"), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("_IMAGE=", env, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Submitter_is_built_from_its_Dockerfile_in_the_repository_for_the_version_set()
    {
        var (compose, _) = await PublishAsync();
        var versions = VersionSet.Create(VersionDefaults.Beam, VersionDefaults.Flink, AppHostModel.DefaultPython);

        var submitter = compose.Service(ResourceNames.Submitter);
        var build = submitter["build"]!;
        Assert.Equal(RepositoryPaths.Root, Path.GetFullPath(build["context"]!.ToString(), compose.Folder).TrimEnd('/'));
        Assert.Equal("./" + SubmitterImageBuild.Dockerfile, build["dockerfile"]!.ToString());
        Assert.Equal(
            SubmitterImageBuild.Arguments(versions).ToDictionary(),
            build["args"]!.AsObject().ToDictionary(a => a.Key, a => a.Value!.ToString()));
        Assert.Equal(SubmitterImageBuild.Reference(versions), submitter["image"]!.ToString());
    }

    [Fact]
    public async Task The_Submitter_keeps_its_history_on_a_volume_is_published_to_the_host_and_gets_paths_of_its_image_and_the_API_key()
    {
        var (compose, _) = await PublishAsync();

        var submitter = compose.Service(ResourceNames.Submitter);
        var environment = Environment(submitter);
        Assert.Equal(ContainerPaths.SubmitterCatalog, environment[Setting(SubmitterSettingNames.CatalogPath)]!.ToString());
        Assert.Equal(ContainerPaths.SubmitterData, environment[Setting(SubmitterSettingNames.DataDirectory)]!.ToString());
        Assert.Equal(ContainerPaths.SubmitterPython, environment[Setting(SubmitterSettingNames.PythonPath)]!.ToString());
        Assert.Equal("${SUBMITTER_API_KEY}", environment[Setting(SubmitterSettingNames.ApiKey)]!.ToString());
        Assert.Equal(ResourceNames.Submitter, environment[SubmitterSettingNames.EnvironmentVariable(SubmitterSettingNames.AllowedHosts, 0)]!.ToString());
        Assert.Equal("8080", environment["HTTP_PORTS"]!.ToString());
        Assert.DoesNotContain(environment, e => e.Value!.ToString().Contains(RepositoryPaths.Root, StringComparison.Ordinal));

        var history = Assert.Single(submitter["volumes"]!.AsArray(), v => v!["target"]!.ToString() == ContainerPaths.SubmitterData)!;
        Assert.Equal("volume", history["type"]!.ToString());
        Assert.Contains(history["source"]!.ToString(), Strings(compose.Root["volumes"]));

        Assert.Contains(Strings(submitter["ports"]), p => p == "8080" || p.EndsWith(":8080", StringComparison.Ordinal));
        var env = await File.ReadAllTextAsync(Path.Combine(_output, ".env"), TestContext.Current.CancellationToken);
        Assert.Contains("SUBMITTER_API_KEY=", env, StringComparison.Ordinal);

        // The cluster's endpoints, by service name.
        Assert.Equal($"http://{ResourceNames.JobManager}:{ClusterPorts.FlinkRest}", environment[ServiceAddresses.EnvironmentVariable(ResourceNames.JobManager, EndpointNames.FlinkRest)]!.ToString());
        Assert.Equal($"http://{ResourceNames.JobServer}:{ClusterPorts.JobService}", environment[ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.JobService)]!.ToString());
        Assert.Equal($"tcp://{ResourceNames.TaskManager(2)}:{ClusterPorts.WorkerPool}", environment[ServiceAddresses.EnvironmentVariable(ResourceNames.TaskManager(2), EndpointNames.WorkerPool)]!.ToString());
    }

    [Fact]
    public async Task The_TaskManager_build_context_is_copied_beside_the_compose_file_and_its_bind_mounts_default_to_the_host_folders()
    {
        var (compose, _) = await PublishAsync();

        var taskManager = compose.Service(ResourceNames.TaskManager(1));
        var context = Path.GetFullPath(taskManager["build"]!["context"]!.ToString(), compose.Folder);
        Assert.StartsWith(_output, context, StringComparison.Ordinal);
        foreach (var file in new[] { "Dockerfile", "entrypoint.sh" })
        {
            Assert.Equal(
                await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Hosting", "containers", "taskmanager", file), TestContext.Current.CancellationToken),
                await File.ReadAllTextAsync(Path.Combine(context, file), TestContext.Current.CancellationToken));
        }

        var outputs = Assert.Single(taskManager["volumes"]!.AsArray(), v => v!["target"]!.ToString() == ContainerPaths.Outputs)!;
        var source = outputs["source"]!.ToString();
        Assert.Matches(@"^\$\{FLINK_TASKMANAGER_1_BINDMOUNT_\d+:-.+\}$", source);
        var fallback = source[(source.IndexOf(":-", StringComparison.Ordinal) + 2)..^1];
        Assert.Equal(RepositoryPaths.Outputs, Path.GetFullPath(fallback, compose.Folder));
        Assert.Equal("External", Environment(taskManager)["FLINKBEAM_SDK_ENVIRONMENT"]!.ToString());
        Assert.False(Environment(taskManager).ContainsKey("FLINKBEAM_UID"), "the publishing machine's user id is no business of the machine that runs the file");
    }

    [Fact]
    public async Task Named_volumes_and_start_order_are_the_models()
    {
        var (compose, model) = await PublishAsync();

        foreach (var resource in model.OfType<ContainerResource>().Where(r => compose.Services.ContainsKey(r.Name)))
        {
            var service = compose.Service(resource.Name);
            var expectedVolumes = resource.Annotations.OfType<ContainerMountAnnotation>()
                .Where(m => m.Type == ContainerMountType.Volume)
                .Select(m => $"{m.Source}:{m.Target}")
                .Order()
                .ToList();
            var volumes = (service["volumes"]?.AsArray() ?? [])
                .Where(v => v!["type"]!.ToString() == "volume")
                .Select(v => $"{v!["source"]}:{v["target"]}")
                .Order()
                .ToList();
            Assert.Equal(expectedVolumes, volumes);

            var waits = resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order().ToList();
            Assert.Equal(waits, Strings(service["depends_on"]).Order().ToList());
        }

        // The checkpoints and artifacts volumes are shared, not one per container.
        Assert.Single(Strings(compose.Root["volumes"]), v => v.EndsWith("-checkpoints", StringComparison.Ordinal));
        Assert.Single(Strings(compose.Root["volumes"]), v => v.EndsWith("-artifacts", StringComparison.Ordinal));
        // The Submitter starts with the cluster and its readiness gate holds until the cluster is ready: no depends_on.
        Assert.Null(compose.Service(ResourceNames.Submitter)["depends_on"]);
    }

    [Fact]
    public async Task FlinkRunner_mode_publishes_no_job_server_and_no_artifacts_volume()
    {
        var (compose, _) = await PublishAsync("--FlinkBeam:Mode=Flink");

        Assert.Empty(ComposeDocument.Errors(compose.Root));
        Assert.False(compose.Services.ContainsKey(ResourceNames.JobServer));
        Assert.DoesNotContain(Strings(compose.Root["volumes"]), v => v.EndsWith("-artifacts", StringComparison.Ordinal));
        var environment = Environment(compose.Service(ResourceNames.Submitter));
        Assert.Equal("Flink", environment[Setting(SubmitterSettingNames.Mode)]!.ToString());
        Assert.False(environment.ContainsKey(ServiceAddresses.EnvironmentVariable(ResourceNames.JobServer, EndpointNames.JobService)));
        Assert.DoesNotContain(
            compose.Service(ResourceNames.TaskManager(1))["volumes"]!.AsArray(),
            v => v!["target"]!.ToString() == ContainerPaths.Artifacts);
    }
}
