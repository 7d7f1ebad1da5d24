using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

/// <summary>
/// The images of every supported combination at the pinned Beam release: the TaskManager image's name, tag and build
/// arguments, the images it and the cluster pull, and the Submitter image's build.
/// </summary>
public sealed class ImageBuildTableTests
{
    /// <summary>Per Flink line at Beam 2.77: Flink image, JRE path, entrypoint style, job server image.</summary>
    private static readonly (string Flink, string FlinkImage, string JavaHome, string StepsDown, string JobServer)[] FlinkLines =
    [
        ("1.19", "docker.io/flink:1.19-java17", "/opt/java/openjdk", "true", "docker.io/apache/beam_flink1.19_job_server:2.77.0"),
        ("1.20", "docker.io/flink:1.20-java17", "/opt/java/openjdk", "true", "docker.io/apache/beam_flink1.20_job_server:2.77.0"),
        ("2.0", "docker.io/flink:2.0-java17", "/opt/java/openjdk", "true", "docker.io/apache/beam_flink_job_server:2.77.0-flink2.0"),
        ("2.1", "docker.io/flink:2.1-java17", "/opt/java/openjdk", "true", "docker.io/apache/beam_flink_job_server:2.77.0-flink2.1"),
        ("2.2", "docker.io/flink:2.2-java17", "/opt/java/openjdk", "false", "docker.io/apache/beam_flink_job_server:2.77.0-flink2.2"),
    ];

    private static readonly string[] Pythons = ["3.10", "3.11", "3.12", "3.13", "3.14"];

    public static TheoryData<string, string, string, string, string, string> Combinations()
    {
        var data = new TheoryData<string, string, string, string, string, string>();
        foreach (var line in FlinkLines)
        {
            foreach (var python in Pythons)
            {
                data.Add(line.Flink, python, line.FlinkImage, line.JavaHome, line.StepsDown, line.JobServer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Every_supported_combination_at_the_pinned_release_has_its_images_and_build_arguments(
        string flink, string python, string flinkImage, string javaHome, string stepsDown, string jobServer)
    {
        var versions = VersionSet.Create("2.77.0", flink, python);

        Assert.Equal($"flinkbeam/flink-taskmanager:2.77.0-flink{flink}-python{python}", TaskManagerImageBuild.Reference(versions));
        Assert.Equal(
            [
                new("FLINK_IMAGE", flinkImage),
                new("BEAM_SDK_IMAGE", $"docker.io/apache/beam_python{python}_sdk:2.77.0"),
                new("FLINK_JAVA_HOME", javaHome),
                new KeyValuePair<string, string>("FLINK_ENTRYPOINT_STEPS_DOWN", stepsDown),
            ],
            TaskManagerImageBuild.Arguments(versions));
        Assert.Equal(jobServer, ClusterImages.JobServer(versions).FullReference);
        Assert.Equal(flinkImage, ClusterImages.Flink(versions).FullReference);

        Assert.Equal($"flinkbeam/submitter:2.77.0-python{python}", SubmitterImageBuild.Reference(versions));
        Assert.Equal(
            [new("PYTHON_VERSION", python), new KeyValuePair<string, string>("BEAM_VERSION", "2.77.0")],
            SubmitterImageBuild.Arguments(versions));
    }

    [Theory]
    [InlineData("2.61.0", "1.17", "3.9", "docker.io/flink:1.17-java11", "/opt/java/openjdk", "true")]
    [InlineData("2.46.0", "1.13", "3.10", "docker.io/flink:1.13-java11", "/usr/local/openjdk-11", "true")]
    public void Older_lines_copy_the_JRE_from_where_their_base_keeps_it(
        string beam, string flink, string python, string flinkImage, string javaHome, string stepsDown)
    {
        var arguments = TaskManagerImageBuild.Arguments(VersionSet.Create(beam, flink, python)).ToDictionary();

        Assert.Equal((flinkImage, javaHome, stepsDown), (arguments["FLINK_IMAGE"], arguments["FLINK_JAVA_HOME"], arguments["FLINK_ENTRYPOINT_STEPS_DOWN"]));
    }

    [Fact]
    public void Every_combination_of_the_whole_matrix_gets_build_arguments()
    {
        foreach (var row in CompatibilityMatrix.Rows)
        {
            foreach (var flink in row.Flink)
            {
                var versions = new VersionSet(row.LastBeam, flink, row.MaxPython);
                Assert.Equal(4, TaskManagerImageBuild.Arguments(versions).Count);
            }
        }
    }

    [Fact]
    public void The_Dockerfiles_declare_exactly_the_arguments_the_builds_pass()
    {
        Assert.Equal(
            TaskManagerImageBuild.Arguments(VersionSet.Default).Select(a => a.Key),
            DeclaredArguments(Path.Combine(FlinkBeam.Testing.RepositoryPaths.Root, "Hosting", "containers", "taskmanager", "Dockerfile")));
        Assert.Equal(
            SubmitterImageBuild.Arguments(VersionSet.Default).Select(a => a.Key),
            DeclaredArguments(Path.Combine(FlinkBeam.Testing.RepositoryPaths.Root, SubmitterImageBuild.Dockerfile)));
    }

    /// <summary>The names of the Dockerfile's <c>ARG</c> lines before its first <c>FROM</c>, in order.</summary>
    private static List<string> DeclaredArguments(string dockerfile) =>
        File.ReadLines(dockerfile)
            .TakeWhile(line => !line.StartsWith("FROM ", StringComparison.Ordinal))
            .Where(line => line.StartsWith("ARG ", StringComparison.Ordinal))
            .Select(line => line[4..].Split('=')[0].Trim())
            .ToList();
}
