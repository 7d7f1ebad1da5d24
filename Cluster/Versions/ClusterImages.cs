namespace FlinkBeam.Cluster.Versions;

/// <summary>Every image and package pin of the cluster, derived from one validated <see cref="VersionSet"/>.</summary>
public static class ClusterImages
{
    /// <summary>Docker Hub, where Flink and Beam publish their images.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The first Flink release whose official images come with Java 17; older ones stop at Java 11.</summary>
    public static readonly MinorVersion FirstFlinkWithJava17 = new(1, 18);

    /// <summary>The official Flink image for JobManager and TaskManagers, e.g. <c>flink:1.20-java17</c>.</summary>
    public static ContainerImage Flink(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return new ContainerImage(DockerHub, "flink", $"{versions.Flink}-java{FlinkJavaVersion(versions)}");
    }

    /// <summary>The Java major version of <see cref="Flink"/>'s image: 17 from Flink 1.18 on, 11 before.</summary>
    public static int FlinkJavaVersion(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.Flink >= FirstFlinkWithJava17 ? 17 : 11;
    }

    /// <summary>
    /// The Beam Flink job server. Flink 1.x runners are published one repository per Flink version
    /// (<c>apache/beam_flink1.20_job_server:2.77.0</c>); Flink 2 and later share one repository with the Flink
    /// version in the tag (<c>apache/beam_flink_job_server:2.77.0-flink2.0</c>).
    /// </summary>
    public static ContainerImage JobServer(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.IsFlink2
            ? new ContainerImage(DockerHub, "apache/beam_flink_job_server", $"{versions.Beam}-flink{versions.Flink}")
            : new ContainerImage(DockerHub, $"apache/beam_flink{versions.Flink}_job_server", versions.Beam.ToString());
    }

    /// <summary>The Beam Python SDK image (worker pool and boot program), e.g. <c>apache/beam_python3.12_sdk:2.77.0</c>.</summary>
    public static ContainerImage PythonSdk(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return new ContainerImage(DockerHub, $"apache/beam_python{versions.Python}_sdk", versions.Beam.ToString());
    }

    /// <summary>The pip requirement of the pipelines' client, e.g. <c>apache-beam==2.77.0</c>.</summary>
    public static string PipRequirement(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return $"apache-beam=={versions.Beam}";
    }
}
