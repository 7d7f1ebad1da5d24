using FlinkBeam.Cluster.Versions;

namespace FlinkBeam.Cluster.Tests;

public class ClusterImagesTests
{
    [Fact]
    public void Default_versions_give_the_flink_1_20_images()
    {
        var versions = VersionSet.Default;

        Assert.Equal("docker.io/flink:1.20-java17", ClusterImages.Flink(versions).FullReference);
        Assert.Equal(new ContainerImage("docker.io", "apache/beam_flink1.20_job_server", "2.77.0"), ClusterImages.JobServer(versions));
        Assert.Equal(new ContainerImage("docker.io", "apache/beam_python3.12_sdk", "2.77.0"), ClusterImages.PythonSdk(versions));
        Assert.Equal("apache-beam==2.77.0", ClusterImages.PipRequirement(versions));
    }

    [Theory]
    [InlineData("2.0", "apache/beam_flink_job_server:2.77.0-flink2.0", "flink:2.0-java17")]
    [InlineData("2.1", "apache/beam_flink_job_server:2.77.0-flink2.1", "flink:2.1-java17")]
    [InlineData("2.2", "apache/beam_flink_job_server:2.77.0-flink2.2", "flink:2.2-java17")]
    [InlineData("1.19", "apache/beam_flink1.19_job_server:2.77.0", "flink:1.19-java17")]
    public void Job_server_naming_differs_between_flink_1_and_2(string flink, string jobServer, string flinkImage)
    {
        var versions = VersionSet.Create("2.77.0", flink, "3.12");

        Assert.Equal(jobServer, ClusterImages.JobServer(versions).Reference);
        Assert.Equal(flinkImage, ClusterImages.Flink(versions).Reference);
    }

    [Theory]
    [InlineData("2.72.0", "2.0", "3.10", "apache/beam_flink_job_server:2.72.0-flink2.0", "apache/beam_python3.10_sdk:2.72.0")]
    [InlineData("2.56.0", "1.14", "3.8", "apache/beam_flink1.14_job_server:2.56.0", "apache/beam_python3.8_sdk:2.56.0")]
    [InlineData("2.46.1", "1.15", "3.10", "apache/beam_flink1.15_job_server:2.46.1", "apache/beam_python3.10_sdk:2.46.1")]
    public void Every_image_follows_the_one_version_set(string beam, string flink, string python, string jobServer, string sdk)
    {
        var versions = VersionSet.Create(beam, flink, python);

        Assert.Equal(jobServer, ClusterImages.JobServer(versions).Reference);
        Assert.Equal(sdk, ClusterImages.PythonSdk(versions).Reference);
        Assert.Equal($"apache-beam=={beam}", ClusterImages.PipRequirement(versions));
    }

    [Theory]
    [InlineData("2.61.0", "1.17", "flink:1.17-java11")]
    [InlineData("2.61.0", "1.18", "flink:1.18-java17")]
    [InlineData("2.41.0", "1.12", "flink:1.12-java11")]
    public void Flink_images_before_1_18_use_java_11_which_is_the_newest_they_ship(string beam, string flink, string image)
    {
        Assert.Equal(image, ClusterImages.Flink(VersionSet.Create(beam, flink, null)).Reference);
    }

    [Fact]
    public void Container_image_renders_with_and_without_registry()
    {
        var image = new ContainerImage("docker.io", "apache/beam_python3.12_sdk", "2.77.0");

        Assert.Equal("apache/beam_python3.12_sdk:2.77.0", image.Reference);
        Assert.Equal("docker.io/apache/beam_python3.12_sdk:2.77.0", image.FullReference);
    }
}
