namespace FlinkBeam.Hosting.Tests;

/// <summary>The Run command's extra arguments, typed as one line, split into an argument list without a shell.</summary>
public sealed class RunArgumentsTests
{
    public static TheoryData<string?, string[]> Lines() => new()
    {
        { null, [] },
        { "", [] },
        { "   \t ", [] },
        { "--min-count 2", ["--min-count", "2"] },
        { "  --min-count   2  ", ["--min-count", "2"] },
        { "--input 'a b.txt'", ["--input", "a b.txt"] },
        { "--input \"a b.txt\"", ["--input", "a b.txt"] },
        { "--x='a b'c", ["--x=a bc"] },
        { "'it''s'", ["its"] },
        { "\"say \\\"hi\\\"\"", ["say \"hi\""] },
        { "\"back\\\\slash\"", ["back\\slash"] },
        { "\"keep \\n as is\"", ["keep \\n as is"] },
        { "'no \\\" escapes'", ["no \\\" escapes"] },
        { "a\\ b", ["a b"] },
        { "\\'quoted\\'", ["'quoted'"] },
        { "'' \"\"", ["", ""] },
        { "$HOME * ~ `x` ; rm -rf /", ["$HOME", "*", "~", "`x`", ";", "rm", "-rf", "/"] },
        { "--label=été", ["--label=été"] },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_line_becomes_the_arguments_a_shell_would_see_without_expanding_anything(string? line, string[] expected)
    {
        var (args, error) = RunArguments.Split(line);

        Assert.Null(error);
        Assert.Equal(expected, args);
    }

    [Theory]
    [InlineData("--input 'a b", "The single quote at character 9 is never closed; close it, or escape it with a backslash.")]
    [InlineData("--input \"a b", "The double quote at character 9 is never closed; close it, or escape it with a backslash.")]
    [InlineData("\"a \\\"", "The double quote at character 1 is never closed; close it, or escape it with a backslash.")]
    [InlineData("--x a\\", "The backslash at the end of the arguments escapes nothing; remove it, or write \\\\ for a backslash.")]
    public void A_line_that_cannot_be_split_is_one_sentence_and_no_arguments(string line, string message)
    {
        var (args, error) = RunArguments.Split(line);

        Assert.Equal(message, error);
        Assert.Empty(args);
    }
}
