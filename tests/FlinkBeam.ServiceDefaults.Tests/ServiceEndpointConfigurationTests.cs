using Microsoft.Extensions.Configuration;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class ServiceEndpointConfigurationTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    [Fact]
    public void A_missing_service_or_endpoint_gives_nothing()
    {
        var configuration = Configuration(("services:flink-jobmanager:http:0", "http://localhost:12345"));

        Assert.Empty(configuration.GetServiceEndpoints("flink-jobserver", "job"));
        Assert.Empty(configuration.GetServiceEndpoints("flink-jobmanager", "rpc"));
        Assert.Null(configuration.GetServiceEndpoint("flink-jobserver", "job"));
    }

    [Fact]
    public void The_environment_variable_form_written_by_the_orchestrator_is_read()
    {
        var prefix = $"FLINKBEAM_TEST_{Guid.NewGuid():N}_";
        var variable = $"{prefix}services__flink-jobmanager__http__0";
        Environment.SetEnvironmentVariable(variable, "http://localhost:12345");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            Assert.Equal(new Uri("http://localhost:12345"), configuration.GetServiceEndpoint("flink-jobmanager", "http"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Several_entries_come_back_ordered_by_numeric_index()
    {
        var configuration = Configuration(
            ("services:flink-taskmanager:workerpool:10", "tcp://localhost:50010"),
            ("services:flink-taskmanager:workerpool:2", "tcp://localhost:50002"),
            ("services:flink-taskmanager:workerpool:0", "tcp://localhost:50000"));

        var endpoints = configuration.GetServiceEndpoints("flink-taskmanager", "workerpool");

        Assert.Equal(
            [new Uri("tcp://localhost:50000"), new Uri("tcp://localhost:50002"), new Uri("tcp://localhost:50010")],
            endpoints);
        Assert.Equal(new Uri("tcp://localhost:50000"), configuration.GetServiceEndpoint("flink-taskmanager", "workerpool"));
    }

    [Fact]
    public void A_tcp_address_keeps_its_scheme_host_and_port()
    {
        var configuration = Configuration(("services:flink-taskmanager-0:workerpool:0", "tcp://127.0.0.1:50000"));

        var endpoint = configuration.GetServiceEndpoint("flink-taskmanager-0", "workerpool");

        Assert.NotNull(endpoint);
        Assert.Equal("tcp", endpoint.Scheme);
        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.Equal(50000, endpoint.Port);
    }

    [Fact]
    public void Names_are_matched_case_insensitively_like_all_configuration_keys()
    {
        var configuration = Configuration(("services:Flink-JobManager:HTTP:0", "http://localhost:8081"));

        Assert.Equal(new Uri("http://localhost:8081"), configuration.GetServiceEndpoint("flink-jobmanager", "http"));
    }

    [Fact]
    public void A_single_value_without_index_is_accepted()
    {
        var configuration = Configuration(("services:flink-jobserver:job", "http://localhost:8099"));

        Assert.Equal([new Uri("http://localhost:8099")], configuration.GetServiceEndpoints("flink-jobserver", "job"));
    }

    [Theory]
    [InlineData("localhost:8081")]
    [InlineData("not a url")]
    [InlineData("http://")]
    [InlineData("")]
    [InlineData("/relative/path")]
    public void A_malformed_value_throws_naming_the_key_and_the_value(string value)
    {
        var configuration = Configuration(
            ("services:flink-jobmanager:http:0", "http://localhost:8081"),
            ("services:flink-jobmanager:http:1", value));

        var error = Assert.Throws<FormatException>(() => configuration.GetServiceEndpoints("flink-jobmanager", "http"));

        Assert.Contains("'services:flink-jobmanager:http:1'", error.Message);
        Assert.Contains($"'{value}'", error.Message);
        Assert.Contains("services__flink-jobmanager__http__1", error.Message);
        Assert.Contains("scheme://host[:port]", error.Message);
    }

    [Fact]
    public void A_non_numeric_index_throws_naming_the_key()
    {
        var configuration = Configuration(("services:flink-jobmanager:http:primary", "http://localhost:8081"));

        var error = Assert.Throws<FormatException>(() => configuration.GetServiceEndpoint("flink-jobmanager", "http"));

        Assert.Contains("'services:flink-jobmanager:http:primary'", error.Message);
        Assert.Contains("http://localhost:8081", error.Message);
        Assert.Contains("services__flink-jobmanager__http__0", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a:b")]
    public void Invalid_names_are_rejected(string name)
    {
        var configuration = Configuration();

        Assert.ThrowsAny<ArgumentException>(() => configuration.GetServiceEndpoints(name, "http"));
        Assert.ThrowsAny<ArgumentException>(() => configuration.GetServiceEndpoints("flink-jobmanager", name));
    }
}
