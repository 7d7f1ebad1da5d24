using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Testing;

namespace FlinkBeam.Cluster.Tests;

/// <summary><see cref="PipelineCatalog"/> against real catalog files, scripts and symbolic links in a temporary folder.</summary>
public sealed class CatalogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("flinkbeam-catalog-").FullName;

    public CatalogTests()
    {
        Folder = Path.Combine(_root, "pipelines");
        Directory.CreateDirectory(Folder);
        CatalogPath = Path.Combine(Folder, "catalog.json");
        Script("wordcount.py");
    }

    private string Folder { get; }

    private string CatalogPath { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_valid_catalog_loads_every_field_in_file_order()
    {
        Script(Path.Combine("lib", "split_words.py"));
        Write("""
            // Comments and trailing commas are allowed: the file is edited by hand.
            { "pipelines": [
              { "name": "wordcount", "script": "wordcount.py", "description": "Counts words",
                "args": ["--input", "/data/kinglear.txt", "--output", "/outputs/wordcount/{runId}/counts"],
                "parallelism": 2 },
              { "name": "split_words", "script": "./lib/split_words.py", },
            ] }
            """);

        var catalog = PipelineCatalog.Load(CatalogPath);

        Assert.Equal(CatalogPath, catalog.CatalogPath);
        Assert.Equal(Folder, catalog.Directory);
        Assert.Equal(["wordcount", "split_words"], catalog.Names);
        var wordcount = catalog.Get("wordcount");
        Assert.Equal(Path.Combine(Folder, "wordcount.py"), wordcount.ScriptPath);
        Assert.Equal("Counts words", wordcount.Description);
        Assert.Equal(["--input", "/data/kinglear.txt", "--output", "/outputs/wordcount/{runId}/counts"], wordcount.Args);
        Assert.Equal(2, wordcount.Parallelism);
        var split = catalog.Get("split_words");
        Assert.Equal(Path.Combine(Folder, "lib", "split_words.py"), split.ScriptPath);
        Assert.Null(split.Description);
        Assert.Empty(split.Args);
        Assert.Equal(1, split.Parallelism);
    }

    [Fact]
    public void The_repositorys_catalog_loads_and_lists_wordcount_first()
    {
        var catalog = PipelineCatalog.Load(RepositoryPaths.Catalog);

        Assert.Equal(RepositoryPaths.Catalog, catalog.CatalogPath);
        Assert.Equal("wordcount", catalog.Names.First());
        Assert.All(catalog.Pipelines, p => Assert.True(File.Exists(p.ScriptPath), $"{p.ScriptPath} is missing."));
    }

    [Fact]
    public void RequireAll_accepts_catalogued_names_and_names_an_unknown_one_with_the_choices()
    {
        Script("split_words.py");
        Write("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py" }, { "name": "split-words", "script": "split_words.py" } ] }""");
        var catalog = PipelineCatalog.Load(CatalogPath);

        catalog.RequireAll(["split-words", "wordcount"], "FlinkBeam:AutoRun");
        var error = Assert.Throws<ArgumentException>(() => catalog.RequireAll(["wordcount", "wordcont"], "FlinkBeam:AutoRun"));

        Assert.Equal(
            $"FlinkBeam:AutoRun names 'wordcont', which is not in {CatalogPath}; the catalog has: wordcount, split-words.",
            error.Message);
    }

    [Fact]
    public void A_relative_catalog_path_and_a_catalog_folder_reached_through_a_link_resolve_to_real_paths()
    {
        Write("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py" } ] }""");
        var link = Path.Combine(_root, "linked");
        Directory.CreateSymbolicLink(link, Folder);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(link, "catalog.json"));

        var catalog = PipelineCatalog.Load(relative);

        Assert.Equal(Path.Combine(link, "catalog.json"), catalog.CatalogPath);
        Assert.Equal(Folder, catalog.Directory);
        Assert.Equal(Path.Combine(Folder, "wordcount.py"), catalog.Get("wordcount").ScriptPath);
    }

    [Fact]
    public void A_script_that_is_a_link_to_a_file_inside_the_folder_is_allowed_and_resolved()
    {
        File.CreateSymbolicLink(Path.Combine(Folder, "current.py"), "wordcount.py");
        Write("""{ "pipelines": [ { "name": "current", "script": "current.py" } ] }""");

        var catalog = PipelineCatalog.Load(CatalogPath);

        Assert.Equal(Path.Combine(Folder, "wordcount.py"), catalog.Get("current").ScriptPath);
    }

    [Fact]
    public void An_unknown_pipeline_is_named_with_the_catalogued_ones()
    {
        Script("other.py");
        Write("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py" }, { "name": "other", "script": "other.py" } ] }""");
        var catalog = PipelineCatalog.Load(CatalogPath);

        var error = Assert.Throws<UnknownPipelineException>(() => catalog.Get("wordcont"));

        Assert.Equal("wordcont", error.Name);
        Assert.Equal("Unknown pipeline 'wordcont'. The catalog has: wordcount, other.", error.Message);
        Assert.False(catalog.TryGet("WordCount", out _));
    }

    [Theory]
    [InlineData("""{ "pipelines": [], "version": 1 }""",
        "unknown field \"version\" in the top level; allowed fields: pipelines.")]
    [InlineData("""{ "pipeline": [] }""",
        "unknown field \"pipeline\" in the top level; allowed fields: pipelines.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "retries": 3 } ] }""",
        "unknown field \"retries\" in pipeline 'wordcount'; allowed fields: name, script, description, args, parallelism, overridable.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "Parallelism": 2 } ] }""",
        "unknown field \"Parallelism\" in pipeline 'wordcount'; allowed fields: name, script, description, args, parallelism, overridable.")]
    [InlineData("""{ "pipelines": [ { "nmae": "wordcount", "script": "wordcount.py" } ] }""",
        "unknown field \"nmae\" in pipelines[0]; allowed fields: name, script, description, args, parallelism, overridable.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "script": "other.py" } ] }""",
        "field \"script\" appears twice in pipeline 'wordcount'.")]
    public void An_unknown_or_repeated_field_is_rejected_by_its_name(string json, string problem) =>
        AssertRejected(json, problem);

    [Theory]
    [InlineData("""{ }""", "has no \"pipelines\" array.")]
    [InlineData("""{ "pipelines": null }""", "\"pipelines\" must be an array; found null.")]
    [InlineData("""{ "pipelines": { "wordcount": {} } }""", "\"pipelines\" must be an array; found an object.")]
    [InlineData("""[ { "name": "wordcount", "script": "wordcount.py" } ]""", "must be a JSON object with a \"pipelines\" array; found an array.")]
    [InlineData("""{ "pipelines": [ "wordcount" ] }""", "pipelines[0] must be an object; found a string.")]
    [InlineData("""{ "pipelines": [ { "script": "wordcount.py" } ] }""", "pipelines[0] has no \"name\".")]
    [InlineData("""{ "pipelines": [ { "name": null, "script": "wordcount.py" } ] }""", "pipelines[0] has no \"name\".")]
    [InlineData("""{ "pipelines": [ { "name": "  ", "script": "wordcount.py" } ] }""", "pipelines[0]: \"name\" must be a non-empty string; found \"  \".")]
    [InlineData("""{ "pipelines": [ { "name": 7, "script": "wordcount.py" } ] }""", "pipelines[0]: \"name\" must be a non-empty string; found 7.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py" }, { "name": "split" } ] }""", "pipeline 'split' has no \"script\".")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "" } ] }""", "pipeline 'wordcount': \"script\" must be a non-empty string; found \"\".")]
    public void A_missing_or_mistyped_required_field_is_named_with_where_it_is_missing(string json, string problem) =>
        AssertRejected(json, problem);

    [Theory]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "parallelism": 0 } ] }""",
        "pipeline 'wordcount': \"parallelism\" must be a whole number of at least 1; found 0.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "parallelism": "2" } ] }""",
        "pipeline 'wordcount': \"parallelism\" must be a whole number of at least 1; found \"2\".")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "parallelism": 1.5 } ] }""",
        "pipeline 'wordcount': \"parallelism\" must be a whole number of at least 1; found 1.5.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "args": "--input x" } ] }""",
        "pipeline 'wordcount': \"args\" must be an array of strings; found a string.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "args": ["--n", 2] } ] }""",
        "pipeline 'wordcount': args[1] must be a string; found a number.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "args": ["a\u0000b"] } ] }""",
        "pipeline 'wordcount': args[0] contains a NUL character, which no process argument can carry.")]
    [InlineData("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "description": ["Counts"] } ] }""",
        "pipeline 'wordcount': \"description\" must be a string; found an array.")]
    public void A_bad_optional_field_is_named_with_the_value_found(string json, string problem) =>
        AssertRejected(json, problem);

    [Fact]
    public void Overridable_options_load_as_options_whatever_dashes_they_are_written_with()
    {
        Write("""
            { "pipelines": [
              { "name": "wordcount", "script": "wordcount.py", "args": ["--input", "/data/x"],
                "overridable": ["input", "--min-count", "-n", "setup_file", "x"] },
              { "name": "other", "script": "wordcount.py", "overridable": null },
            ] }
            """);

        var catalog = PipelineCatalog.Load(CatalogPath);

        Assert.Equal(["--input", "--min-count", "-n", "--setup_file", "-x"], catalog.Get("wordcount").Overridable);
        Assert.Empty(catalog.Get("other").Overridable);
    }

    [Theory]
    [InlineData("\"input\"", "pipeline 'wordcount': \"overridable\" must be an array of option names; found a string.")]
    [InlineData("[\"input\", 3]", "pipeline 'wordcount': overridable[1] must be a string; found a number.")]
    [InlineData("[\"--\"]", "pipeline 'wordcount': overridable[0] '--' is not an option name; write it like \"--min-count\"")]
    [InlineData("[\"---input\"]", "pipeline 'wordcount': overridable[0] '---input' is not an option name")]
    [InlineData("[\"--input x\"]", "pipeline 'wordcount': overridable[0] '--input x' is not an option name")]
    [InlineData("[\"--input=x\"]", "pipeline 'wordcount': overridable[0] '--input=x' is not an option name")]
    [InlineData("[\"--input\\n\"]", "is not an option name")]
    [InlineData("[\"--job_name\"]", "pipeline 'wordcount': overridable[0] '--job_name' is an option the Submitter sets for every run, so no caller may set it; the Submitter sets --runner, --job_endpoint,")]
    [InlineData("[\"job-name\"]", "overridable[0] 'job-name' is an option the Submitter sets for every run")]
    [InlineData("[\"--flink_version\"]", "overridable[0] '--flink_version' is an option the Submitter sets for every run")]
    [InlineData("[\"--parallelism\"]", "overridable[0] '--parallelism' is an option the Submitter sets for every run")]
    [InlineData("[\"min-count\", \"--min_count\"]", "pipeline 'wordcount': overridable[1] '--min_count' names the same option as 'min-count'.")]
    public void A_bad_overridable_list_is_rejected_naming_the_entry_and_the_option(string overridable, string problem) =>
        AssertRejected($$"""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py", "overridable": {{overridable}} } ] }""", problem);

    [Theory]
    [InlineData("Word Count")]
    [InlineData("wordcount-")]
    [InlineData("1wordcount")]
    [InlineData("a234567890123456789012345678901234567890123456789012345")]
    public void A_name_that_cannot_become_part_of_a_job_name_is_rejected(string name) =>
        AssertRejected($$"""{ "pipelines": [ { "name": "{{name}}", "script": "wordcount.py" } ] }""",
            $"pipelines[0].name '{name}' is not a valid pipeline name: use 1-54 characters a-z, 0-9, '-' and '_'");

    [Fact]
    public void A_name_of_the_longest_allowed_length_is_accepted()
    {
        var name = "a" + new string('1', 53);
        Write($$"""{ "pipelines": [ { "name": "{{name}}", "script": "wordcount.py" } ] }""");

        Assert.Equal([name], PipelineCatalog.Load(CatalogPath).Names);
    }

    [Fact]
    public void A_duplicate_name_is_rejected_naming_it()
    {
        Script("other.py");
        AssertRejected(
            """{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py" }, { "name": "wordcount", "script": "other.py" } ] }""",
            "pipeline name 'wordcount' appears more than once.");
    }

    [Theory]
    [InlineData("../outside.py")]
    [InlineData("lib/../../outside.py")]
    [InlineData("./../pipelines/../outside.py")]
    public void A_script_path_that_climbs_out_of_the_folder_is_rejected_even_when_the_file_exists(string script)
    {
        File.WriteAllText(Path.Combine(_root, "outside.py"), "print('escaped')\n");

        AssertRejected(Entry(script), $"pipeline 'wordcount': script '{script}' leaves the catalog's folder '{Folder}'.");
    }

    [Fact]
    public void An_absolute_script_path_is_rejected_even_inside_the_folder()
    {
        var absolute = Path.Combine(Folder, "wordcount.py");

        AssertRejected(Entry(absolute), $"pipeline 'wordcount': script '{absolute}' must be a path relative to the catalog's folder '{Folder}'.");
    }

    [Fact]
    public void A_script_that_is_a_link_out_of_the_folder_is_rejected_naming_where_it_leads()
    {
        var outside = Path.Combine(_root, "outside.py");
        File.WriteAllText(outside, "print('escaped')\n");
        File.CreateSymbolicLink(Path.Combine(Folder, "innocent.py"), outside);

        AssertRejected(Entry("innocent.py"),
            $"pipeline 'wordcount': script 'innocent.py' is a symbolic link (or lies below one) that leads out of the catalog's folder '{Folder}', to '{outside}'.");
    }

    [Fact]
    public void A_script_below_a_linked_folder_that_leads_out_is_rejected()
    {
        var elsewhere = Path.Combine(_root, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "job.py"), "print('escaped')\n");
        Directory.CreateSymbolicLink(Path.Combine(Folder, "lib"), "../elsewhere");

        AssertRejected(Entry("lib/job.py"),
            $"script 'lib/job.py' is a symbolic link (or lies below one) that leads out of the catalog's folder '{Folder}', to '{Path.Combine(elsewhere, "job.py")}'.");
    }

    [Fact]
    public void A_script_in_a_loop_of_links_is_rejected_as_unresolvable()
    {
        File.CreateSymbolicLink(Path.Combine(Folder, "a.py"), "b.py");
        File.CreateSymbolicLink(Path.Combine(Folder, "b.py"), "a.py");

        AssertRejected(Entry("a.py"), "pipeline 'wordcount': script 'a.py' cannot be resolved: ");
        AssertRejected(Entry("a.py"), "goes through more than 40 symbolic links (a loop?).");
    }

    [Fact]
    public void A_missing_script_is_named_with_the_path_looked_for()
    {
        AssertRejected(Entry("wordcout.py"),
            $"pipeline 'wordcount': script 'wordcout.py' does not exist (looked for '{Path.Combine(Folder, "wordcout.py")}').");
    }

    [Fact]
    public void A_link_to_a_missing_script_inside_the_folder_is_named_as_missing()
    {
        File.CreateSymbolicLink(Path.Combine(Folder, "dangling.py"), "gone.py");

        AssertRejected(Entry("dangling.py"),
            $"script 'dangling.py' does not exist (looked for '{Path.Combine(Folder, "gone.py")}').");
    }

    [Fact]
    public void Malformed_JSON_is_reported_with_the_file_and_the_position()
    {
        Write("""{ "pipelines": [ { "name": "wordcount", "script": "wordcount.py" ] }""");

        var error = Assert.Throws<CatalogException>(() => PipelineCatalog.Load(CatalogPath));

        Assert.Equal(CatalogPath, error.CatalogPath);
        Assert.StartsWith($"Pipeline catalog '{CatalogPath}': is not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 0", error.Message, StringComparison.Ordinal);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException, exactMatch: false);
    }

    [Fact]
    public void An_empty_file_is_not_valid_JSON()
    {
        Write("");

        var error = Assert.Throws<CatalogException>(() => PipelineCatalog.Load(CatalogPath));

        Assert.StartsWith($"Pipeline catalog '{CatalogPath}': is not valid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_catalog_file_is_named()
    {
        var missing = Path.Combine(Folder, "catalgo.json");

        var error = Assert.Throws<CatalogException>(() => PipelineCatalog.Load(missing));

        Assert.Equal(missing, error.CatalogPath);
        Assert.StartsWith($"Pipeline catalog '{missing}': cannot be read: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(error.InnerException);
    }

    [Fact]
    public void Placeholders_are_replaced_wherever_they_occur_and_nothing_else_is_touched()
    {
        string[] args = ["--output", "/outputs/{runId}/counts-{runId}", "--name={jobName}", "{jobName}/{runId}", "{RunId}", "{other}", "{runId"];

        var substituted = PipelineCatalog.SubstituteArgs(args, "0123456789abcdef", "wordcount-01234567");

        Assert.Equal(
            ["--output", "/outputs/0123456789abcdef/counts-0123456789abcdef", "--name=wordcount-01234567",
             "wordcount-01234567/0123456789abcdef", "{RunId}", "{other}", "{runId"],
            substituted);
        Assert.Equal("/outputs/{runId}/counts-{runId}", args[1]);
    }

    private void Script(string relativePath)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "print('hello')\n");
    }

    private void Write(string json) => File.WriteAllText(CatalogPath, json);

    private static string Entry(string script) =>
        $$"""{ "pipelines": [ { "name": "wordcount", "script": {{System.Text.Json.JsonSerializer.Serialize(script)}} } ] }""";

    private void AssertRejected(string json, string problem)
    {
        Write(json);

        var error = Assert.Throws<CatalogException>(() => PipelineCatalog.Load(CatalogPath));

        Assert.Equal(CatalogPath, error.CatalogPath);
        Assert.StartsWith($"Pipeline catalog '{CatalogPath}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
