using FlinkBeam.Cluster.Topology;
using YamlDotNet.RepresentationModel;

namespace FlinkBeam.AppHost.Tests;

/// <summary>Publish mode writes the topology as a docker-compose file (no container runtime needed).</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("flinkbeam-compose-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private async Task<YamlMappingNode> PublishAsync()
    {
        await using (var builder = await AppHostModel.CreateAsync("--operation", "publish", "--step", "publish-compose", "--output-path", _output))
        {
            await using var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await app.RunAsync(timeout.Token);
        }

        var path = Path.Combine(_output, "docker-compose.yaml");
        Assert.True(File.Exists(path), $"no compose file at {path}; the output folder has: {string.Join(", ", Directory.GetFiles(_output))}");
        var yaml = new YamlStream();
        using var reader = new StringReader(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)root.Children[new YamlScalarNode("services")];
    }

    private static YamlNode Service(YamlMappingNode services, string name)
    {
        Assert.True(services.Children.TryGetValue(new YamlScalarNode(name), out var service), $"no '{name}' service");
        return service;
    }

    /// <summary>Every key and value under a node, whatever syntax (short or long) the publisher chose.</summary>
    private static List<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars).ToList(),
        YamlMappingNode mapping => mapping.Children.SelectMany(p => Scalars(p.Key).Concat(Scalars(p.Value))).ToList(),
        _ => [],
    };

    private static bool Mounts(YamlNode service, string target) =>
        Scalars(service).Any(s => s == target || s.Contains($":{target}", StringComparison.Ordinal));

    [Fact]
    public async Task The_compose_file_has_every_cluster_service_and_the_Submitter_but_no_host_only_resource()
    {
        var services = await PublishAsync();

        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
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
    public async Task Compose_keeps_the_shared_volumes_the_data_mounts_the_start_order_and_the_Submitters_entries()
    {
        var services = await PublishAsync();
        var jobServer = Service(services, ResourceNames.JobServer);

        Assert.True(Mounts(jobServer, ContainerPaths.Artifacts));
        Assert.Contains($"--artifacts-dir={ContainerPaths.Artifacts}", Scalars(jobServer));
        Assert.Contains(ResourceNames.JobManager, Scalars(((YamlMappingNode)jobServer).Children[new YamlScalarNode("depends_on")]));

        foreach (var name in new[] { ResourceNames.TaskManager(1), ResourceNames.TaskManager(2) })
        {
            var taskManager = (YamlMappingNode)Service(services, name);
            Assert.True(Mounts(taskManager, ContainerPaths.Artifacts), $"{name} lacks {ContainerPaths.Artifacts}");
            Assert.True(Mounts(taskManager, ContainerPaths.Checkpoints), $"{name} lacks {ContainerPaths.Checkpoints}");
            Assert.True(Mounts(taskManager, ContainerPaths.Data), $"{name} lacks {ContainerPaths.Data}");
            Assert.True(Mounts(taskManager, ContainerPaths.Outputs), $"{name} lacks {ContainerPaths.Outputs}");
            Assert.Contains(ResourceNames.JobManager, Scalars(taskManager.Children[new YamlScalarNode("depends_on")]));
        }

        // The Submitter starts with the cluster and its readiness gate holds until the cluster is ready: no depends_on.
        var submitter = Scalars(Service(services, ResourceNames.Submitter));
        Assert.Contains($"services__{ResourceNames.JobManager}__{EndpointNames.FlinkRest}__0", submitter);
        Assert.Contains($"services__{ResourceNames.JobServer}__{EndpointNames.JobService}__0", submitter);
        Assert.Contains($"services__{ResourceNames.TaskManager(2)}__{EndpointNames.WorkerPool}__0", submitter);
    }

    [Fact]
    public async Task The_Submitters_API_key_is_a_secret_parameter_of_the_compose_file()
    {
        var services = await PublishAsync();

        var environment = (YamlMappingNode)((YamlMappingNode)Service(services, ResourceNames.Submitter)).Children[new YamlScalarNode("environment")];
        var key = ((YamlScalarNode)environment.Children[new YamlScalarNode("Submitter__ApiKey")]).Value;
        Assert.Matches(@"^\$\{[A-Z_]*API_KEY\}$", key);
        var variable = key![2..^1];
        var dotEnv = await File.ReadAllLinesAsync(Path.Combine(_output, ".env"), TestContext.Current.CancellationToken);
        Assert.Contains(dotEnv, line => line.StartsWith(variable + "=", StringComparison.Ordinal));
    }
}
