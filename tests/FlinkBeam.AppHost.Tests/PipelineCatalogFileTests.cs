using FlinkBeam.AppHost.Pipelines;
using FlinkBeam.Testing;

namespace FlinkBeam.AppHost.Tests;

public sealed class PipelineCatalogFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flinkbeam-catalog-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_folder, "catalog.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void The_repositorys_catalog_lists_its_pipelines_in_order()
    {
        var catalog = PipelineCatalogFile.Load(RepositoryPaths.Catalog);

        Assert.Equal(RepositoryPaths.Catalog, catalog.Path);
        Assert.Equal("wordcount", catalog.Names[0]);
        Assert.Equal(catalog.Names.Count, catalog.Names.Distinct().Count());
    }

    [Fact]
    public void Names_are_read_from_each_entry()
    {
        var catalog = PipelineCatalogFile.Load(Write("""{"pipelines":[{"name":"b","script":"b.py"},{"name":"a","script":"a.py"}]}"""));

        Assert.Equal(["b", "a"], catalog.Names);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(_folder, "nope.json");

        var error = Assert.Throws<FileNotFoundException>(() => PipelineCatalogFile.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{"jobs":[]}""", "no \"pipelines\" array")]
    [InlineData("""{"pipelines":{}}""", "no \"pipelines\" array")]
    [InlineData("""{"pipelines":[{"script":"a.py"}]}""", "without a \"name\" (entry 1)")]
    [InlineData("""{"pipelines":[{"name":"a"},{"name":" "}]}""", "without a \"name\" (entry 2)")]
    [InlineData("""{"pipelines":[{"name":"a"},{"name":"a"}]}""", "names 'a' twice")]
    public void A_malformed_catalog_says_what_is_wrong(string json, string problem)
    {
        var path = Write(json);

        var error = Assert.Throws<InvalidDataException>(() => PipelineCatalogFile.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireAll_accepts_catalogued_names_and_names_an_unknown_one_with_the_choices()
    {
        var catalog = PipelineCatalogFile.Load(Write("""{"pipelines":[{"name":"wordcount"},{"name":"split-words"}]}"""));

        catalog.RequireAll(["split-words", "wordcount"], "FlinkBeam:AutoRun");
        var error = Assert.Throws<ArgumentException>(() => catalog.RequireAll(["wordcount", "wordcont"], "FlinkBeam:AutoRun"));

        Assert.Equal(
            $"FlinkBeam:AutoRun names 'wordcont', which is not in {catalog.Path}; the catalog has: wordcount, split-words.",
            error.Message);
    }
}
