using FlinkBeam.Cluster.Pipelines;

namespace FlinkBeam.Cluster.Tests;

/// <summary><see cref="PipelineArguments.Combine"/>: what a caller may add to a catalog entry's arguments, as a table.</summary>
public class PipelineArgumentsTests
{
    private static readonly string[] Fixed = ["--input", "/data/x.txt", "--output=/outputs/{runId}/out", "--min-count", "2"];

    // Caller's arguments, the entry's overridable options, and either the combined arguments or a part of the refusal.
    private static readonly Dictionary<string, (string[] Caller, string[] Overridable, string[]? Combined, string? Refusal)> Cases = new()
    {
        ["an option the entry does not fix"] =
            (["--note", "hello"], [], [.. Fixed, "--note", "hello"], null),
        ["values on their own, a negative number and a value with a blank"] =
            (["extra.txt", "--offset", "-5", "--note", "-x y"], [], [.. Fixed, "extra.txt", "--offset", "-5", "--note", "-x y"], null),
        ["a host-acting option's name as a value"] =
            (["--note=--setup_file"], [], [.. Fixed, "--note=--setup_file"], null),
        ["an owned option (refused later, by PipelineOptions.Build)"] =
            (["--job_name", "x"], [], [.. Fixed, "--job_name", "x"], null),
        ["a fixed option, separate value"] =
            (["--input", "/etc/passwd"], [], null, "'--input /etc/passwd' would replace --input, which the catalog entry 'wordcount' fixes; callers may replace only the options it lists as overridable (it lists none)."),
        ["a fixed option, --x=v"] =
            (["--input=/etc/passwd"], ["--note"], null, "'--input=/etc/passwd' would replace --input, which the catalog entry 'wordcount' fixes; callers may replace only the options it lists as overridable (it lists --note)."),
        ["a fixed option given with =, replaced with a separate value"] =
            (["--output", "/tmp/x"], [], null, "'--output /tmp/x' would replace --output, which"),
        ["a fixed option with _ for -"] =
            (["--min_count=1"], [], null, "'--min_count=1' would replace --min-count"),
        ["an abbreviation of a fixed option"] =
            (["--inp", "/etc/passwd"], [], null, "'--inp /etc/passwd' can be read as an abbreviation of --input, which the catalog entry 'wordcount' fixes"),
        ["a short option"] =
            (["-o", "/tmp/x"], [], null, "'-o /tmp/x' is a short option, which may stand for any option of the script; spell it out, or list -o as overridable in the catalog entry 'wordcount' (it lists none)."),
        ["an overridable option replaces the fixed one"] =
            (["--input", "/data/y.txt"], ["input"], ["--output=/outputs/{runId}/out", "--min-count", "2", "--input", "/data/y.txt"], null),
        ["an overridable option written with dashes and _"] =
            (["--min_count=5"], ["--min-count"], ["--input", "/data/x.txt", "--output=/outputs/{runId}/out", "--min_count=5"], null),
        ["an abbreviation of an overridable option"] =
            (["--inp", "/data/y.txt"], ["input"], [.. Fixed, "--inp", "/data/y.txt"], null),
        ["a listed short option"] =
            (["-n", "3"], ["-n"], [.. Fixed, "-n", "3"], null),
        ["--setup_file"] =
            (["--setup_file", "./setup.py"], [], null, "'--setup_file ./setup.py' sets --setup_file, which makes the client read, install or run files on the Submitter's machine; the catalog entry 'wordcount' does not list it as overridable (it lists none)."),
        ["--requirements_file="] = (["--requirements_file=/tmp/r.txt"], [], null, "sets --requirements_file, which makes the client read"),
        ["--requirements_cache"] = (["--requirements_cache", "/tmp/c"], [], null, "sets --requirements_cache,"),
        ["--extra-package with -"] = (["--extra-package", "/tmp/evil.whl"], [], null, "sets --extra-package,"),
        ["--extra_packages"] = (["--extra_packages=/tmp/evil.whl"], [], null, "sets --extra_packages,"),
        ["--files_to_stage"] = (["--files_to_stage", "/etc/shadow"], [], null, "sets --files_to_stage,"),
        ["--sdk_location"] = (["--sdk_location=http://evil.example/sdk.tar.gz"], [], null, "sets --sdk_location,"),
        ["--beam_plugin"] = (["--beam_plugin", "evil"], [], null, "sets --beam_plugin,"),
        ["--beam_plugins"] = (["--beam_plugins", "evil"], [], null, "sets --beam_plugins,"),
        ["--flink_job_server_jar"] = (["--flink_job_server_jar", "/tmp/evil.jar"], [], null, "sets --flink_job_server_jar,"),
        ["--job_server_java_launcher"] = (["--job_server_java_launcher=/bin/sh"], [], null, "sets --job_server_java_launcher,"),
        ["--prebuild_sdk_container_engine"] = (["--prebuild_sdk_container_engine", "local_docker"], [], null, "sets --prebuild_sdk_container_engine,"),
        ["a host-acting option after a flag"] = (["--streaming", "--setup_file=./setup.py"], [], null, "'--setup_file=./setup.py' sets --setup_file,"),
        ["a host-acting option the entry lists"] =
            (["--setup_file", "./setup.py"], ["setup_file"], [.. Fixed, "--setup_file", "./setup.py"], null),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void A_callers_arguments_are_added_or_refused_naming_the_option(string name)
    {
        var (caller, overridable, combined, refusal) = Cases[name];

        if (refusal is null)
        {
            Assert.Equal(combined, PipelineArguments.Combine("wordcount", Fixed, caller, overridable));
        }
        else
        {
            var e = Assert.Throws<RefusedOptionException>(() => PipelineArguments.Combine("wordcount", Fixed, caller, overridable));
            Assert.Contains(refusal, e.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<ArgumentException>(e);
        }
    }

    [Fact]
    public void A_repeated_fixed_option_is_replaced_as_a_whole()
    {
        var combined = PipelineArguments.Combine(
            "p", ["--experiments", "a", "--experiments=b", "--input", "x"], ["--experiments", "c"], ["experiments"]);

        Assert.Equal(["--input", "x", "--experiments", "c"], combined);
    }

    [Fact]
    public void The_option_a_refusal_names_is_the_one_the_caller_wrote()
    {
        var e = Assert.Throws<RefusedOptionException>(() => PipelineArguments.Combine("p", [], ["--note", "x", "--sdk-location", "y"], []));

        Assert.Equal("--sdk-location", e.Option);
    }

    [Fact]
    public void The_host_acting_options_include_Beams_setup_staging_and_local_job_server_options()
    {
        string[] expected =
        [
            "setup_file", "requirements_file", "requirements_cache", "extra_package", "extra_packages", "files_to_stage",
            "sdk_location", "beam_plugin", "beam_plugins", "flink_job_server_jar", "job_server_java_launcher",
        ];

        Assert.All(expected, o => Assert.Contains(o, PipelineOptions.HostActingOptionNames));
        // In FlinkRunner mode the Submitter sets the job server jar itself; in Portable mode no caller may.
        Assert.Equal(["flink_job_server_jar"], PipelineOptions.HostActingOptionNames.Intersect(PipelineOptions.OwnedInAnyMode));
        Assert.Empty(PipelineOptions.HostActingOptionNames.Intersect(PipelineOptions.OwnedOptionNames(RunnerMode.Portable)));
    }

    [Fact]
    public void Options_owned_in_either_mode_are_owned_in_any_mode()
    {
        Assert.Equal(
            PipelineOptions.OwnedOptionNames(RunnerMode.Portable).Union(PipelineOptions.OwnedOptionNames(RunnerMode.Flink)).Order(),
            PipelineOptions.OwnedInAnyMode.Order());
        Assert.Contains("flink_version", PipelineOptions.OwnedInAnyMode);
    }
}
