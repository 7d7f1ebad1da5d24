using FlinkBeam.Submitter.Service;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.Submitter.Tests;

/// <summary><see cref="ListenAddresses"/>: where the API is configured to listen, whether that is loopback, and whether <c>serve</c> may start.</summary>
public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://127.3.4.5:80", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("https://LOCALHOST:5443", true)]
    [InlineData("http://localhost", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://[::ffff:127.0.0.1]:5080", true)]
    [InlineData(" http://127.0.0.1:5080/ ", true)]
    [InlineData("http://unix:/tmp/submitter.sock", true)]
    [InlineData("http://pipe:/submitter", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://192.168.1.10:5080", false)]
    [InlineData("http://[fe80::1]:5080", false)]
    [InlineData("http://submitter.example.test:5080", false)]
    [InlineData("http://localhost.localdomain:5080", false)]
    [InlineData("http://127.0.0.1.evil.example:5080", false)]
    [InlineData("127.0.0.1:5080", false)]
    [InlineData("", false)]
    public void Only_localhost_loopback_addresses_and_local_sockets_are_loopback(string url, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(url));

    [Fact]
    public void Every_setting_that_names_an_address_is_read_with_its_source()
    {
        var configuration = Configuration(new()
        {
            ["urls"] = "http://127.0.0.1:5080; http://0.0.0.0:5081",
            ["http_ports"] = "8080;8081",
            ["https_ports"] = "8443",
            ["Kestrel:Endpoints:api:Url"] = "https://[::]:9443",
            ["Kestrel:Endpoints:pipe:Protocols"] = "Http1",
        });

        Assert.Equal(
            [
                new ListenAddress("http://127.0.0.1:5080", "--urls / ASPNETCORE_URLS"),
                new ListenAddress("http://0.0.0.0:5081", "--urls / ASPNETCORE_URLS"),
                new ListenAddress("http://*:8080", "ASPNETCORE_HTTP_PORTS"),
                new ListenAddress("http://*:8081", "ASPNETCORE_HTTP_PORTS"),
                new ListenAddress("https://*:8443", "ASPNETCORE_HTTPS_PORTS"),
                new ListenAddress("https://[::]:9443", "Kestrel:Endpoints:api:Url"),
            ],
            ListenAddresses.From(configuration));
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:5080;http://localhost:5081", null)]
    [InlineData("urls", "http://127.0.0.1:5080;http://0.0.0.0:5081", "http://0.0.0.0:5081 (--urls / ASPNETCORE_URLS)")]
    [InlineData("http_ports", "8080", "http://*:8080 (ASPNETCORE_HTTP_PORTS)")]
    [InlineData("https_ports", "8443", "https://*:8443 (ASPNETCORE_HTTPS_PORTS)")]
    [InlineData("Kestrel:Endpoints:api:Url", "http://submitter.example.test:5080", "http://submitter.example.test:5080 (Kestrel:Endpoints:api:Url)")]
    public void Serve_without_a_key_is_refused_beyond_loopback_naming_the_address_and_the_settings(string key, string value, string? named)
    {
        var addresses = ListenAddresses.From(Configuration(new() { [key] = value }));

        var refusal = ListenAddresses.Exposure(addresses, hasKey: false, allowAnonymous: false);

        if (named is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Equal(
                $"it would listen on {named}, which is not a loopback address, without an API key. Set Submitter:ApiKey (Submitter__ApiKey) "
                + "so that callers must present it, or Submitter:AllowAnonymous=true to let anyone who can reach it start and cancel runs.",
                refusal);
            Assert.Null(ListenAddresses.Exposure(addresses, hasKey: true, allowAnonymous: false));
            Assert.Null(ListenAddresses.Exposure(addresses, hasKey: false, allowAnonymous: true));
        }
    }

    [Fact]
    public void The_hosts_named_in_listen_addresses_are_answered_but_not_wildcards_or_sockets()
    {
        var addresses = ListenAddresses.From(Configuration(new()
        {
            ["urls"] = "http://submitter.example.test:1;http://0.0.0.0:2;http://[fe80::1]:3;http://*:4;http://+:5;http://unix:/tmp/s.sock;http://[::]:6;http://10.0.0.5:7",
        }));

        Assert.Equal(["submitter.example.test", "[fe80::1]", "10.0.0.5"], ListenAddresses.NamedHosts(addresses));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
