namespace FlinkBeam.Hosting.Tests;

/// <summary>The dashboard resource name of each catalog pipeline, and the conflicts that stop the AppHost.</summary>
public sealed class PipelineResourceNamesTests
{
    private const string Catalog = "/p/catalog.json";

    [Fact]
    public void Each_pipeline_is_named_with_hyphens_for_underscores_in_catalog_order()
    {
        var (names, problem) = PipelineResourceNames.Plan(["wordcount", "long_running", "word-lengths"], ["submitter", "flink-jobmanager"], Catalog);

        Assert.Null(problem);
        Assert.Equal([("wordcount", "wordcount"), ("long_running", "long-running"), ("word-lengths", "word-lengths")], names);
    }

    [Theory]
    [InlineData("submitter", "submitter", "Pipeline 'submitter' in /p/catalog.json would be the dashboard resource 'submitter', which is already the name of the resource 'submitter'; rename the pipeline.")]
    [InlineData("flink_jobmanager", "flink-jobmanager", "Pipeline 'flink_jobmanager' in /p/catalog.json would be the dashboard resource 'flink-jobmanager', which is already the name of the resource 'flink-jobmanager'; rename the pipeline.")]
    [InlineData("pipelines", "Pipelines", "Pipeline 'pipelines' in /p/catalog.json would be the dashboard resource 'pipelines', which is already the name of the resource 'Pipelines'; rename the pipeline.")]
    public void A_pipeline_named_like_another_resource_is_one_sentence_naming_both(string pipeline, string resource, string message)
    {
        var (names, problem) = PipelineResourceNames.Plan(["wordcount", pipeline], [resource], Catalog);

        Assert.Equal(message, problem);
        Assert.Empty(names);
    }

    [Fact]
    public void Two_pipelines_that_differ_only_by_underscore_and_hyphen_are_one_sentence_naming_both()
    {
        var (_, problem) = PipelineResourceNames.Plan(["long-running", "wordcount", "long_running"], [], Catalog);

        Assert.Equal(
            "Pipelines 'long-running' and 'long_running' in /p/catalog.json would both be the dashboard resource 'long-running'; rename one of them.",
            problem);
    }

    [Theory]
    [InlineData("a__b", "a--b")]
    [InlineData("a_-b", "a--b")]
    public void A_name_Aspire_would_refuse_is_one_sentence_saying_why(string pipeline, string resource)
    {
        var (_, problem) = PipelineResourceNames.Plan([pipeline], [], Catalog);

        Assert.Equal(
            $"Pipeline '{pipeline}' in /p/catalog.json would be the dashboard resource '{resource}', but Aspire refuses two hyphens in a row in a resource name; rename the pipeline.",
            problem);
    }
}
