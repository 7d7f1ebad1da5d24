using FlinkBeam.Cluster.Topology;
namespace FlinkBeam.Cluster.Tests;

public sealed class HostAndPortTests
{
    [Theory]
    [InlineData("localhost:8099", "localhost", 8099)]
    [InlineData("flink-jobmanager.dev.internal:8081", "flink-jobmanager.dev.internal", 8081)]
    [InlineData("127.0.0.1:1", "127.0.0.1", 1)]
    [InlineData("[::1]:65535", "[::1]", 65535)]
    public void A_host_and_a_port_are_read(string text, string host, int port)
    {
        Assert.True(HostAndPort.TryParse(text, out var address));

        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":8099")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:08099")]
    [InlineData("localhost:80a")]
    [InlineData("http://localhost:8099")]
    [InlineData("local host:8099")]
    [InlineData("-bad-:8099")]
    [InlineData("::1:8099")]
    [InlineData("[::1:8099")]
    [InlineData("[localhost]:8099")]
    public void Anything_else_is_not_an_address(string? text)
    {
        Assert.False(HostAndPort.TryParse(text, out _));
    }

    [Theory]
    [InlineData("tcp://localhost:50000", "localhost:50000")]
    [InlineData("http://127.0.0.1:8099/", "127.0.0.1:8099")]
    [InlineData("http://[::1]:8099", "[::1]:8099")]
    [InlineData("http://flink-jobmanager", "flink-jobmanager:80")]
    public void A_URL_gives_its_host_and_port(string url, string expected)
    {
        Assert.True(HostAndPort.TryFromUri(new Uri(url), out var address));

        Assert.Equal(expected, address.ToString());
    }

    [Fact]
    public void A_URL_without_a_port_of_its_scheme_gives_none()
    {
        Assert.False(HostAndPort.TryFromUri(new Uri("tcp://localhost"), out _));
        Assert.False(HostAndPort.TryFromUri(new Uri("/relative", UriKind.Relative), out _));
    }

    [Fact]
    public void Sockets_get_the_IPv6_host_without_brackets()
    {
        Assert.Equal("::1", new HostAndPort("[::1]", 8099).SocketHost);
        Assert.Equal("localhost", new HostAndPort("localhost", 8099).SocketHost);
    }

    [Fact]
    public void The_constructor_refuses_a_bad_host_or_port_naming_the_value()
    {
        var host = Assert.Throws<ArgumentException>(() => new HostAndPort("local host", 8099));
        Assert.Contains("'local host'", host.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HostAndPort("localhost", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HostAndPort("localhost", 70000));
    }

    [Theory]
    [InlineData("flink-jobmanager", true)]
    [InlineData("10.0.0.7", true)]
    [InlineData("[::1]", false)]
    [InlineData("under_score", false)]
    [InlineData("trailing-", false)]
    [InlineData("", false)]
    public void Host_names_are_DNS_names_or_IPv4_addresses(string host, bool expected)
    {
        Assert.Equal(expected, HostAndPort.IsHostName(host));
        Assert.Equal(expected || host == "[::1]", HostAndPort.IsHost(host));
    }
}
