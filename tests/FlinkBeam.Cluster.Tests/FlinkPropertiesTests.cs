using System.Diagnostics;
using FlinkBeam.Cluster.Topology;
using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

public class FlinkPropertiesTests
{
    [Fact]
    public void Job_manager_properties_for_the_defaults()
    {
        var text = FlinkProperties.ForJobManager(new FlinkClusterSettings()).Render();

        Assert.Equal(
            """
            jobmanager.rpc.address: flink-jobmanager
            jobmanager.rpc.port: 6123
            rest.address: flink-jobmanager
            rest.port: 8081
            rest.bind-address: 0.0.0.0
            blob.server.port: 6124
            jobmanager.memory.process.size: 1600m
            parallelism.default: 1
            state.checkpoints.dir: file:///checkpoints/checkpoints
            state.savepoints.dir: file:///checkpoints/savepoints
            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Task_manager_properties_for_a_bigger_cluster()
    {
        var settings = new FlinkClusterSettings { TaskManagers = 3, SlotsPerTaskManager = 4, DefaultParallelism = 6, TaskManagerMemory = "4g" };

        var text = FlinkProperties.ForTaskManager(settings).Render();

        Assert.Equal(
            """
            jobmanager.rpc.address: flink-jobmanager
            jobmanager.rpc.port: 6123
            taskmanager.numberOfTaskSlots: 4
            taskmanager.memory.process.size: 4g
            parallelism.default: 6
            state.checkpoints.dir: file:///checkpoints/checkpoints
            state.savepoints.dir: file:///checkpoints/savepoints
            """.ReplaceLineEndings("\n"),
            text);
    }

    [Theory]
    [InlineData("2.0")]
    [InlineData("2.2")]
    public void Flink_2_uses_the_execution_checkpointing_keys(string flink)
    {
        var settings = new FlinkClusterSettings { Versions = VersionSet.Create("2.77.0", flink, "3.12") };

        foreach (var properties in new[] { FlinkProperties.ForJobManager(settings), FlinkProperties.ForTaskManager(settings) })
        {
            Assert.Equal("file:///checkpoints/checkpoints", properties["execution.checkpointing.dir"]);
            Assert.Equal("file:///checkpoints/savepoints", properties["execution.checkpointing.savepoint-dir"]);
            Assert.Null(properties["state.checkpoints.dir"]);
            Assert.Null(properties["state.savepoints.dir"]);
        }
    }

    [Fact]
    public void Additional_properties_follow_in_key_order_on_both_roles()
    {
        var settings = new FlinkClusterSettings
        {
            AdditionalProperties = new Dictionary<string, string> { ["restart-strategy.type"] = "none", ["classloader.resolve-order"] = "parent-first" },
        };

        foreach (var properties in new[] { FlinkProperties.ForJobManager(settings), FlinkProperties.ForTaskManager(settings) })
        {
            Assert.Equal(
                ["classloader.resolve-order: parent-first", "restart-strategy.type: none"],
                properties.Render().Split('\n')[^2..]);
        }
    }

    [Fact]
    public void Set_replaces_a_value_in_place()
    {
        var properties = new FlinkProperties().Set("a.b", "1").Set("c.d", "2").Set("a.b", "3");

        Assert.Equal("a.b: 3\nc.d: 2", properties.Render());
        Assert.Equal(2, properties.Entries.Count);
    }

    [Theory]
    [InlineData("", "cannot be empty")]
    [InlineData("rest port", "contains whitespace or a line break")]
    [InlineData("rest.port\nparallelism.default", "contains whitespace or a line break")]
    [InlineData("rest:port", "contains ':', which separates key from value")]
    [InlineData("rest.port#x", "contains '#'")]
    [InlineData("$HOME", "contains '$'")]
    [InlineData("1rest.port", "does not start with a letter")]
    public void Bad_keys_are_rejected_and_nothing_is_set(string key, string reason)
    {
        var properties = new FlinkProperties().Set("rest.port", "8081");

        var e = Assert.Throws<ArgumentException>(() => properties.Set(key, "value"));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("keys are ASCII letters, digits, '.', '-' and '_'", e.Message, StringComparison.Ordinal);
        Assert.Equal("rest.port: 8081", properties.Render());
    }

    [Theory]
    [InlineData("a b", "contains whitespace or a line break, which the Flink image's entrypoint strips")]
    [InlineData("a\nb: c", "contains whitespace or a line break")]
    [InlineData("\t1", "contains whitespace or a line break")]
    [InlineData("$HOME/x", "contains '$', which the Flink image's entrypoint would interpret")]
    [InlineData("a#b", "contains '#'")]
    [InlineData("a;b", "contains ';'")]
    [InlineData("`id`", "contains '`'")]
    [InlineData("*", "contains '*'")]
    [InlineData("", "has an empty value")]
    public void Bad_values_are_rejected_naming_the_key_and_the_problem(string value, string reason)
    {
        var properties = new FlinkProperties();

        var e = Assert.Throws<ArgumentException>(() => properties.Set("state.checkpoints.dir", value));

        Assert.Contains("'state.checkpoints.dir'", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Empty(properties.Entries);
    }

    [Fact]
    public void The_rendered_text_survives_the_flink_image_entrypoint_unchanged()
    {
        var settings = new FlinkClusterSettings
        {
            TaskManagers = 2,
            AdditionalProperties = new Dictionary<string, string> { ["metrics.reporters"] = "a,b", ["x.y"] = "k=v@h+1%~" },
        };
        var properties = FlinkProperties.ForJobManager(settings);

        var parsed = RunEntrypointParser(properties.Render());

        Assert.Equal(properties.Entries.Select(e => $"{e.Key}={e.Value}"), parsed);
    }

    [Fact]
    public void The_entrypoint_really_mangles_whitespace_which_is_why_it_is_rejected()
    {
        var parsed = RunEntrypointParser("env.java.opts: -Da=1 -Db=2");

        Assert.Equal(["env.java.opts=-Da=1-Db=2"], parsed);
    }

    /// <summary>
    /// Runs the <c>FLINK_PROPERTIES</c> loop of the official image's docker-entrypoint.sh (Flink 1.19+/2.x) in bash
    /// and prints each key/value pair it would hand to Flink.
    /// </summary>
    private static List<string> RunEntrypointParser(string flinkProperties)
    {
        if (!File.Exists("/bin/bash") || !ExistsOnPath("envsubst"))
        {
            Assert.Skip("bash and envsubst are needed to run the Flink image's FLINK_PROPERTIES parsing.");
        }

        const string Script = """
            OLD_IFS="$IFS"
            IFS=$'\n'
            for prop in $FLINK_PROPERTIES; do
                prop=$(echo $prop | tr -d '[:space:]')
                if [ -z "$prop" ]; then
                    continue
                fi
                IFS=':' read -r key value <<< "$prop"
                value=$(echo $value | envsubst)
                printf '%s=%s\n' "$key" "$value"
            done
            IFS="$OLD_IFS"
            """;
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.Environment["FLINK_PROPERTIES"] = flinkProperties;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "bash did not finish");
        Assert.True(process.ExitCode == 0, errors);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static bool ExistsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}
