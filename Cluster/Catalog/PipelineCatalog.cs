using System.Text.Json;
using System.Text.RegularExpressions;
using FlinkBeam.Cluster.Pipelines;

namespace FlinkBeam.Cluster.Catalog;

/// <summary>
/// The pipelines that may be launched, read from <c>catalog.json</c>. Loading validates everything up front:
/// unknown fields, names that cannot become Flink job names, and scripts that would leave the catalog's folder
/// (through <c>..</c>, an absolute path or a symbolic link) are rejected with a <see cref="CatalogException"/>.
/// </summary>
public sealed partial class PipelineCatalog
{
    /// <summary>Replaced by the run's id in catalog arguments.</summary>
    public const string RunIdPlaceholder = "{runId}";

    /// <summary>Replaced by the run's Flink/Beam job name in catalog arguments.</summary>
    public const string JobNamePlaceholder = "{jobName}";

    // A job name is "<pipeline>-<8 hex>" and at most 63 characters.
    private const int MaxNameLength = 54;

    private static readonly string[] RootFields = ["pipelines"];
    private static readonly string[] PipelineFields = ["name", "script", "description", "args", "parallelism", "overridable"];

    private readonly Dictionary<string, PipelineDefinition> _byName;

    private PipelineCatalog(string catalogPath, string directory, IReadOnlyList<PipelineDefinition> pipelines)
    {
        CatalogPath = catalogPath;
        Directory = directory;
        Pipelines = pipelines;
        _byName = pipelines.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>Absolute path of the catalog file.</summary>
    public string CatalogPath { get; }

    /// <summary>The catalog's folder with symbolic links resolved; scripts live below it and run in it.</summary>
    public string Directory { get; }

    /// <summary>The pipelines in file order.</summary>
    public IReadOnlyList<PipelineDefinition> Pipelines { get; }

    /// <summary>The pipelines' names in file order.</summary>
    public IEnumerable<string> Names => Pipelines.Select(p => p.Name);

    /// <summary>The pipeline with this name.</summary>
    /// <exception cref="UnknownPipelineException">The catalog has no such pipeline.</exception>
    public PipelineDefinition Get(string name) =>
        TryGet(name, out var definition) ? definition : throw new UnknownPipelineException(name, Names);

    /// <summary>The pipeline with this name, if the catalog has one.</summary>
    public bool TryGet(string name, out PipelineDefinition definition) =>
        _byName.TryGetValue(name, out definition!);

    /// <summary>Checks that a setting names only catalogued pipelines.</summary>
    /// <param name="names">The names to check.</param>
    /// <param name="setting">Where the names come from, for the message, e.g. <c>FlinkBeam:AutoRun</c>.</param>
    /// <exception cref="ArgumentException">A name is not in the catalog; the message lists the catalog's names.</exception>
    public void RequireAll(IEnumerable<string> names, string setting)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (!_byName.ContainsKey(name))
            {
                throw new ArgumentException(
                    $"{setting} names '{name}', which is not in {CatalogPath}; the catalog has: {string.Join(", ", Names)}.");
            }
        }
    }

    /// <summary>Reads and validates a catalog file.</summary>
    /// <exception cref="CatalogException">The file is missing, unreadable, not valid JSON or not a valid catalog.</exception>
    public static PipelineCatalog Load(string catalogPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(catalogPath);
        var fullPath = Path.GetFullPath(catalogPath);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CatalogException(fullPath, $"cannot be read: {ex.Message}", ex);
        }

        return Parse(text, fullPath);
    }

    /// <summary>Validates catalog JSON as if it were the file at <paramref name="catalogPath"/> (scripts are resolved against its folder).</summary>
    public static PipelineCatalog Parse(string json, string catalogPath)
    {
        var fullPath = Path.GetFullPath(catalogPath);
        string directory;
        try
        {
            directory = PathSafety.RealPath(Path.GetDirectoryName(fullPath)!);
        }
        catch (IOException ex)
        {
            throw new CatalogException(fullPath, $"its folder cannot be resolved: {ex.Message}", ex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException ex)
        {
            throw new CatalogException(fullPath, $"is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CatalogException(fullPath, $"must be a JSON object with a \"pipelines\" array; found {Describe(root.ValueKind)}.");
            }

            CheckFields(fullPath, root, RootFields, "the top level");
            if (!root.TryGetProperty("pipelines", out var list))
            {
                throw new CatalogException(fullPath, "has no \"pipelines\" array.");
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new CatalogException(fullPath, $"\"pipelines\" must be an array; found {Describe(list.ValueKind)}.");
            }

            var pipelines = new List<PipelineDefinition>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var definition = ReadPipeline(fullPath, directory, item, index++);
                if (pipelines.Any(p => p.Name == definition.Name))
                {
                    throw new CatalogException(fullPath, $"pipeline name '{definition.Name}' appears more than once.");
                }

                pipelines.Add(definition);
            }

            return new PipelineCatalog(fullPath, directory, pipelines);
        }
    }

    /// <summary>Replaces <c>{runId}</c> and <c>{jobName}</c> in catalog arguments.</summary>
    public static IReadOnlyList<string> SubstituteArgs(IEnumerable<string> args, string runId, string jobName) =>
        args.Select(a => a.Replace(RunIdPlaceholder, runId, StringComparison.Ordinal)
                          .Replace(JobNamePlaceholder, jobName, StringComparison.Ordinal))
            .ToArray();

    private static PipelineDefinition ReadPipeline(string catalogPath, string directory, JsonElement item, int index)
    {
        var where = $"pipelines[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new CatalogException(catalogPath, $"{where} must be an object; found {Describe(item.ValueKind)}.");
        }

        // Fields first, so a misspelt "name" is reported as the unknown field it is, not as a missing name.
        var label = item.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(nameElement.GetString())
                ? $"pipeline '{nameElement.GetString()}'"
                : where;
        CheckFields(catalogPath, item, PipelineFields, label);

        var name = RequiredString(catalogPath, item, "name", where);
        if (name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            throw new CatalogException(catalogPath,
                $"{where}.name '{name}' is not a valid pipeline name: use 1-{MaxNameLength} characters a-z, 0-9, '-' and '_', starting with a letter and ending with a letter or digit (it becomes part of the Flink job name).");
        }

        where = $"pipeline '{name}'";

        var script = RequiredString(catalogPath, item, "script", where);
        var scriptPath = ResolveScript(catalogPath, directory, script, where);

        string? description = null;
        if (item.TryGetProperty("description", out var descriptionElement) && descriptionElement.ValueKind != JsonValueKind.Null)
        {
            description = descriptionElement.ValueKind == JsonValueKind.String
                ? descriptionElement.GetString()
                : throw new CatalogException(catalogPath, $"{where}: \"description\" must be a string; found {Describe(descriptionElement.ValueKind)}.");
        }

        var args = new List<string>();
        if (item.TryGetProperty("args", out var argsElement) && argsElement.ValueKind != JsonValueKind.Null)
        {
            if (argsElement.ValueKind != JsonValueKind.Array)
            {
                throw new CatalogException(catalogPath, $"{where}: \"args\" must be an array of strings; found {Describe(argsElement.ValueKind)}.");
            }

            var i = 0;
            foreach (var arg in argsElement.EnumerateArray())
            {
                if (arg.ValueKind != JsonValueKind.String)
                {
                    throw new CatalogException(catalogPath, $"{where}: args[{i}] must be a string; found {Describe(arg.ValueKind)}.");
                }

                var value = arg.GetString()!;
                if (value.Contains('\0', StringComparison.Ordinal))
                {
                    throw new CatalogException(catalogPath, $"{where}: args[{i}] contains a NUL character, which no process argument can carry.");
                }

                args.Add(value);
                i++;
            }
        }

        var parallelism = 1;
        if (item.TryGetProperty("parallelism", out var parallelismElement) && parallelismElement.ValueKind != JsonValueKind.Null)
        {
            if (parallelismElement.ValueKind != JsonValueKind.Number || !parallelismElement.TryGetInt32(out parallelism) || parallelism < 1)
            {
                throw new CatalogException(catalogPath, $"{where}: \"parallelism\" must be a whole number of at least 1; found {parallelismElement.GetRawText()}.");
            }
        }

        return new PipelineDefinition(name, scriptPath, description, args, parallelism)
        {
            Overridable = ReadOverridable(catalogPath, item, where),
        };
    }

    /// <summary>The optional "overridable" array: option names a caller may set, never one the Submitter owns.</summary>
    private static List<string> ReadOverridable(string catalogPath, JsonElement item, string where)
    {
        var options = new List<string>();
        if (!item.TryGetProperty("overridable", out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return options;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new CatalogException(catalogPath, $"{where}: \"overridable\" must be an array of option names; found {Describe(list.ValueKind)}.");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var element in list.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                throw new CatalogException(catalogPath, $"{where}: overridable[{i}] must be a string; found {Describe(element.ValueKind)}.");
            }

            var option = element.GetString()!;
            if (!OptionNamePattern().IsMatch(option))
            {
                throw new CatalogException(catalogPath,
                    $"{where}: overridable[{i}] '{option}' is not an option name; write it like \"--min-count\" (letters, digits, '-' and '_', starting with a letter).");
            }

            var name = OptionTokens.Name(option);
            if (PipelineOptions.OwnedInAnyMode.Contains(name))
            {
                throw new CatalogException(catalogPath,
                    $"{where}: overridable[{i}] '{option}' is an option the Submitter sets for every run, so no caller may set it; the Submitter sets {string.Join(", ", PipelineOptions.OwnedInAnyMode.Select(OptionTokens.Display))}.");
            }

            if (!seen.TryAdd(name, option))
            {
                throw new CatalogException(catalogPath, $"{where}: overridable[{i}] '{option}' names the same option as '{seen[name]}'.");
            }

            options.Add(OptionTokens.Display(option));
            i++;
        }

        return options;
    }

    private static string ResolveScript(string catalogPath, string directory, string script, string where)
    {
        if (Path.IsPathRooted(script) || script.Contains('\0', StringComparison.Ordinal))
        {
            throw new CatalogException(catalogPath, $"{where}: script '{script}' must be a path relative to the catalog's folder '{directory}'.");
        }

        var lexical = Path.GetFullPath(Path.Combine(directory, script));
        if (!PathSafety.IsInside(lexical, directory))
        {
            throw new CatalogException(catalogPath, $"{where}: script '{script}' leaves the catalog's folder '{directory}'.");
        }

        string real;
        try
        {
            real = PathSafety.RealPath(lexical);
        }
        catch (IOException ex)
        {
            throw new CatalogException(catalogPath, $"{where}: script '{script}' cannot be resolved: {ex.Message}", ex);
        }

        if (!PathSafety.IsInside(real, directory))
        {
            throw new CatalogException(catalogPath, $"{where}: script '{script}' is a symbolic link (or lies below one) that leads out of the catalog's folder '{directory}', to '{real}'.");
        }

        if (!File.Exists(real))
        {
            throw new CatalogException(catalogPath, $"{where}: script '{script}' does not exist (looked for '{real}').");
        }

        return real;
    }

    private static void CheckFields(string catalogPath, JsonElement element, string[] allowed, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new CatalogException(catalogPath,
                    $"unknown field \"{property.Name}\" in {where}; allowed fields: {string.Join(", ", allowed)}.");
            }

            if (!seen.Add(property.Name))
            {
                throw new CatalogException(catalogPath, $"field \"{property.Name}\" appears twice in {where}.");
            }
        }
    }

    private static string RequiredString(string catalogPath, JsonElement element, string field, string where)
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new CatalogException(catalogPath, $"{where} has no \"{field}\".");
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new CatalogException(catalogPath, $"{where}: \"{field}\" must be a non-empty string; found {value.GetRawText()}.");
        }

        return value.GetString()!;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    [GeneratedRegex("^[a-z]([a-z0-9_-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^-{0,2}[A-Za-z][A-Za-z0-9_-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex OptionNamePattern();
}
