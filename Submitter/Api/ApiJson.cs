using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlinkBeam.Submitter.Api;

/// <summary>The JSON of the HTTP API and of the command line's <c>--json</c>: camelCase, enums as their names.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter());
        options.TypeInfoResolverChain.Insert(0, Records.RecordsJsonContext.Default);
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
    }

    /// <summary>For responses and command-line output.</summary>
    public static JsonSerializerOptions Options { get; } = Create(strict: false);

    /// <summary>For request bodies: a field the API does not know is an error, not silently ignored.</summary>
    public static JsonSerializerOptions Requests { get; } = Create(strict: true);

    private static JsonSerializerOptions Create(bool strict)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        if (strict)
        {
            options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.RespectNullableAnnotations = true;
        }

        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
