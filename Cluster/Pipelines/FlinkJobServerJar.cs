using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Pipelines;

/// <summary>
/// Where Beam's Python FlinkRunner finds the Flink job server jar it puts a pipeline into with <c>--flink_submit_uber_jar</c>
/// (apache/beam <c>flink_uber_jar_job_server.py</c> <c>executable_jar</c>, <c>subprocess_server.py</c> <c>JavaJarServer</c>):
/// <c>--flink_job_server_jar</c> when given; otherwise <c>beam-runners-flink-&lt;flink&gt;-job-server-&lt;beam&gt;.jar</c> in
/// <c>~/.apache_beam/cache/jars</c>, downloaded there from Maven Central on first use. That path builds the jar with Python's
/// zipfile and uploads it to Flink REST: it needs no Java (only the path without the uber jar starts <c>java -jar</c>).
/// </summary>
public static class FlinkJobServerJar
{
    /// <summary>Beam's <c>MAVEN_CENTRAL_REPOSITORY</c>.</summary>
    public static readonly Uri MavenCentral = new("https://repo.maven.apache.org/maven2/");

    /// <summary>The jar's file name, e.g. <c>beam-runners-flink-1.20-job-server-2.77.0.jar</c>.</summary>
    public static string FileName(VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return $"{ArtifactId(versions)}-{versions.Beam}.jar";
    }

    /// <summary>Where Beam's client caches it: <c>.apache_beam/cache/jars</c> under <paramref name="home"/>.</summary>
    public static string CachePath(string home, VersionSet versions)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        return Path.Combine(home, ".apache_beam", "cache", "jars", FileName(versions));
    }

    /// <summary>Where Beam's client downloads it from: <c>org/apache/beam/&lt;artifact&gt;/&lt;beam&gt;/&lt;file&gt;</c> under <paramref name="repository"/>.</summary>
    public static Uri DownloadUrl(Uri repository, VersionSet versions)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var root = repository.AbsoluteUri.EndsWith('/') ? repository : new Uri(repository.AbsoluteUri + "/");
        return new Uri(root, $"org/apache/beam/{ArtifactId(versions)}/{versions.Beam}/{FileName(versions)}");
    }

    private static string ArtifactId(VersionSet versions) => $"beam-runners-flink-{versions.Flink}-job-server";
}
