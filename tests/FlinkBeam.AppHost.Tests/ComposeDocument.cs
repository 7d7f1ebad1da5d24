using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FlinkBeam.AppHost.Tests;

/// <summary>A published compose file read as YAML, as JSON the way Compose reads it, and checked against the Compose schema.</summary>
internal sealed class ComposeDocument(string folder, JsonObject root)
{
    /// <summary>The folder that holds the compose file: relative paths in it are taken from here, as Compose takes them.</summary>
    public string Folder { get; } = folder;

    public JsonObject Root { get; } = root;

    public JsonObject Services => Root["services"]!.AsObject();

    public JsonObject Service(string name) =>
        Services[name]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"no '{name}' service; the file has: {string.Join(", ", Services.Select(s => s.Key))}");

    public static ComposeDocument Load(string folder)
    {
        var path = Path.Combine(folder, "docker-compose.yaml");
        Assert.True(File.Exists(path), $"no compose file at {path}; the folder has: {string.Join(", ", Directory.GetFiles(folder))}");
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(path));
        yaml.Load(reader);
        return new ComposeDocument(folder, ToJson(yaml.Documents[0].RootNode)!.AsObject());
    }

    /// <summary>
    /// The schema names draft-07 by https and without the trailing '#' of its official id; the validator knows draft-07 by
    /// that id only, so the schema's spelling is registered for it too.
    /// </summary>
    private static readonly BuildOptions Draft07 = CreateDraft07Options();

    /// <summary>Built once: building registers the schema's $id, which may happen once per process.</summary>
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ComposeSpec", "compose-spec.json")), Draft07));

    private static BuildOptions CreateDraft07Options()
    {
        var dialects = new DialectRegistry();
        dialects.Register(Dialect.Draft07.With([], new Uri("https://json-schema.org/draft-07/schema")));
        return new BuildOptions { DialectRegistry = dialects };
    }

    /// <summary>The Compose Specification's verdict, as one line per error.</summary>
    public static IReadOnlyList<string> Errors(JsonNode document)
    {
        var schema = Schema.Value;
        using var json = JsonDocument.Parse(document.ToJsonString());
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
                .ToList();
    }

    /// <summary>Plain scalars are YAML's booleans, numbers and nulls where they read as such; quoted ones are strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var value } => Plain(value),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    private static JsonNode? Plain(string? value) => value switch
    {
        null or "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
