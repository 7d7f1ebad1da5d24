using System.Globalization;

namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>A span as exported: its instrumentation scope, name and string-rendered attributes.</summary>
internal sealed record ExportedSpan(string TraceId, string Scope, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Field numbers from opentelemetry-proto (collector/*/v1 and trace, metrics, logs, resource, common v1):
/// Export*ServiceRequest.resource_* = 1; Resource* {resource = 1, scope_* = 2}; Scope* {scope = 1, items = 2};
/// Resource.attributes = 1; KeyValue {key = 1, value = 2}; AnyValue {string = 1, bool = 2, int = 3, double = 4};
/// Span {trace_id = 1, name = 5, attributes = 9}; Metric.name = 1; LogRecord.body = 5; InstrumentationScope.name = 1.
/// </summary>
internal static class OtlpPayload
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ResourceAttributes(ReadOnlyMemory<byte> request) =>
        Protobuf.Children(request, 1)
            .Select(resourceItems => Attributes(Protobuf.Children(resourceItems, 1).FirstOrDefault(), 1))
            .ToArray();

    public static IReadOnlyList<ExportedSpan> Spans(ReadOnlyMemory<byte> request) =>
        (from resourceSpans in Protobuf.Children(request, 1)
         from scopeSpans in Protobuf.Children(resourceSpans, 2)
         let scope = Protobuf.Children(scopeSpans, 1).Select(s => Protobuf.String(s, 1)).FirstOrDefault() ?? string.Empty
         from span in Protobuf.Children(scopeSpans, 2)
         select new ExportedSpan(
             Convert.ToHexString(Protobuf.Children(span, 1).FirstOrDefault().Span),
             scope,
             Protobuf.String(span, 5) ?? string.Empty,
             Attributes(span, 9))).ToArray();

    public static IReadOnlyList<string> MetricNames(ReadOnlyMemory<byte> request) =>
        (from resourceMetrics in Protobuf.Children(request, 1)
         from scopeMetrics in Protobuf.Children(resourceMetrics, 2)
         from metric in Protobuf.Children(scopeMetrics, 2)
         select Protobuf.String(metric, 1) ?? string.Empty).ToArray();

    public static IReadOnlyList<string> LogBodies(ReadOnlyMemory<byte> request) =>
        (from resourceLogs in Protobuf.Children(request, 1)
         from scopeLogs in Protobuf.Children(resourceLogs, 2)
         from record in Protobuf.Children(scopeLogs, 2)
         from body in Protobuf.Children(record, 5)
         select AnyValue(body)).ToArray();

    private static IReadOnlyDictionary<string, string> Attributes(ReadOnlyMemory<byte> message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Protobuf.Children(message, field))
        {
            var key = Protobuf.String(keyValue, 1);
            if (key is not null)
            {
                attributes[key] = Protobuf.Children(keyValue, 2).Select(AnyValue).FirstOrDefault() ?? string.Empty;
            }
        }

        return attributes;
    }

    private static string AnyValue(ReadOnlyMemory<byte> value)
    {
        foreach (var field in Protobuf.Fields(value))
        {
            switch (field.Number)
            {
                case 1:
                    return System.Text.Encoding.UTF8.GetString(field.Bytes.Span);
                case 2:
                    return field.Scalar != 0 ? "true" : "false";
                case 3:
                    return ((long)field.Scalar).ToString(CultureInfo.InvariantCulture);
                case 4:
                    return BitConverter.UInt64BitsToDouble(field.Scalar).ToString(CultureInfo.InvariantCulture);
            }
        }

        return string.Empty;
    }
}
