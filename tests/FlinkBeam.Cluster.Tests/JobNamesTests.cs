using FlinkBeam.Cluster.Pipelines;

namespace FlinkBeam.Cluster.Tests;

public class JobNamesTests
{
    [Theory]
    [InlineData("wordcount", "ab12cd34", "wordcount-ab12cd34")]
    [InlineData("WordCount", "AB12CD34", "wordcount-ab12cd34")]
    [InlineData("word_lengths", "0f", "word-lengths-0f")]
    public void Create_joins_lower_cases_and_turns_underscores_into_hyphens(string pipeline, string shortId, string expected)
    {
        var name = JobNames.Create(pipeline, shortId);

        Assert.Equal(expected, name);
        Assert.True(JobNames.IsValid(name));
    }

    [Theory]
    [InlineData("", "A job name cannot be empty")]
    [InlineData("Wordcount", "Job name 'Wordcount' contains 'W'")]
    [InlineData("word count", "Job name 'word count' contains 'U+0020'")]
    [InlineData("word.count", "Job name 'word.count' contains '.'")]
    [InlineData("1wordcount", "Job name '1wordcount' does not start with a letter")]
    [InlineData("-wordcount", "Job name '-wordcount' does not start with a letter")]
    [InlineData("wordcount-", "Job name 'wordcount-' ends with '-'")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234", "is 64 characters long")]
    public void Validate_rejects_names_naming_the_rule(string name, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => JobNames.Validate(name));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("job names are 1-63 characters of a-z, 0-9 and '-'", e.Message, StringComparison.Ordinal);
        Assert.False(JobNames.IsValid(name));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("wordcount-0-1")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Validate_accepts_names_at_the_edges(string name)
    {
        JobNames.Validate(name);
        Assert.True(JobNames.IsValid(name));
    }

    [Fact]
    public void Create_refuses_results_that_are_not_valid()
    {
        var e = Assert.Throws<ArgumentException>(() => JobNames.Create(new string('w', 60), "ab12cd34"));
        Assert.Contains("is 69 characters long", e.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => JobNames.Create("word count", "ab"));
        Assert.Throws<ArgumentException>(() => JobNames.Create(" ", "ab"));
        Assert.Throws<ArgumentException>(() => JobNames.Create("wordcount", ""));
    }
}
