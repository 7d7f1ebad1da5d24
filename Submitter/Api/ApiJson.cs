using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// The JSON of the HTTP API and of the command line's <c>--json</c>: camelCase, enums as their names, every contract
/// generated at build time (<see cref="ApiJsonContext"/>, <see cref="Records.RecordsJsonContext"/>), so the native
/// build reads and writes exactly what the JIT build does.
/// </summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
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

        options.MakeReadOnly();
        return options;
    }

    /// <summary>The generated contract of <typeparamref name="T"/> under <paramref name="options"/>.</summary>
    public static JsonTypeInfo<T> Contract<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    /// <summary><paramref name="value"/> as the API and <c>--json</c> write it.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options.Contract<T>());
}
