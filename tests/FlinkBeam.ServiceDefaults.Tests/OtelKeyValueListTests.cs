using FlinkBeam.ServiceDefaults.Telemetry;

namespace FlinkBeam.ServiceDefaults.Tests;

public sealed class OtelKeyValueListTests
{
    [Fact]
    public void Entries_are_split_trimmed_and_percent_decoded()
    {
        var pairs = OtelKeyValueList.Parse("OTEL_RESOURCE_ATTRIBUTES", " service.instance.id = abc-1 ,deployment.environment=dev%20box,,note=a%2Cb=c,");

        Assert.Equal(
            [
                new KeyValuePair<string, string>("service.instance.id", "abc-1"),
                new KeyValuePair<string, string>("deployment.environment", "dev box"),
                new KeyValuePair<string, string>("note", "a,b=c"),
            ],
            pairs);
    }

    [Fact]
    public void Nothing_set_gives_an_empty_list()
    {
        Assert.Empty(OtelKeyValueList.Parse("OTEL_EXPORTER_OTLP_HEADERS", null));
        Assert.Empty(OtelKeyValueList.Parse("OTEL_EXPORTER_OTLP_HEADERS", "  "));
    }

    [Theory]
    [InlineData("justakey")]
    [InlineData("a=1, =2")]
    public void An_entry_without_a_key_is_rejected_naming_it(string text)
    {
        var error = Assert.Throws<FormatException>(() => OtelKeyValueList.Parse("OTEL_EXPORTER_OTLP_HEADERS", text));

        Assert.Contains("OTEL_EXPORTER_OTLP_HEADERS", error.Message);
        Assert.Contains(text, error.Message);
    }
}
