using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Testing;

namespace FlinkBeam.Hosting.Tests;

/// <summary>A catalog of the fake Beam clients in a temporary folder, removed when disposed.</summary>
internal sealed class TestCatalog : IDisposable
{
    private readonly string _root = FakePipelineFiles.TempDirectory("flinkbeam-catalog");

    /// <summary>Pipelines of those names, each running <c>succeed.py</c>.</summary>
    public TestCatalog(params string[] pipelines) =>
        Catalog = PipelineCatalog.Load(FakePipelineFiles.CreateCatalog(_root, pipelines.Select(p => (p, "succeed.py", 1, Array.Empty<string>())).ToArray()));

    public PipelineCatalog Catalog { get; }

    public void Dispose() => FakePipelineFiles.TryDeleteDirectory(_root);
}
