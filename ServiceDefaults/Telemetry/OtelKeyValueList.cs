namespace FlinkBeam.ServiceDefaults.Telemetry;

/// <summary>
/// Parses the <c>key1=value1,key2=value2</c> lists used by OTEL_RESOURCE_ATTRIBUTES and
/// OTEL_EXPORTER_OTLP_HEADERS (values are percent-encoded, as in W3C Baggage).
/// </summary>
internal static class OtelKeyValueList
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string variable, string? text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return pairs;
        }

        foreach (var rawItem in text.Split(','))
        {
            var item = rawItem.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            var separator = item.IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? string.Empty : item[..separator].Trim();
            if (key.Length == 0)
            {
                throw new FormatException(
                    $"{variable} entry '{item}' in '{text}' is not of the form key=value (entries are separated by commas).");
            }

            string value;
            try
            {
                value = Uri.UnescapeDataString(item[(separator + 1)..].Trim());
            }
            catch (UriFormatException ex)
            {
                throw new FormatException($"{variable} entry '{item}' has a value that is not valid percent-encoding.", ex);
            }

            pairs.Add(new KeyValuePair<string, string>(key, value));
        }

        return pairs;
    }
}
