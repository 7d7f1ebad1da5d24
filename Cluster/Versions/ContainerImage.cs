namespace FlinkBeam.Cluster.Versions;

/// <summary>A container image split the way Aspire's <c>AddContainer(name, image, tag)</c> and <c>WithImageRegistry</c> take it.</summary>
/// <param name="Registry">The registry host, e.g. <c>docker.io</c>.</param>
/// <param name="Image">The repository, e.g. <c>flink</c> or <c>apache/beam_python3.12_sdk</c>.</param>
/// <param name="Tag">The tag, e.g. <c>1.20-java17</c>.</param>
public sealed record ContainerImage(string Registry, string Image, string Tag)
{
    /// <summary>Image and tag without the registry, e.g. <c>flink:1.20-java17</c>.</summary>
    public string Reference => $"{Image}:{Tag}";

    /// <summary>Registry, image and tag, e.g. <c>docker.io/flink:1.20-java17</c>.</summary>
    public string FullReference => $"{Registry}/{Image}:{Tag}";

    /// <summary>The full reference.</summary>
    public override string ToString() => FullReference;
}
