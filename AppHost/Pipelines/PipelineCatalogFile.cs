using System.Text.Json;

namespace FlinkBeam.AppHost.Pipelines;

/// <summary>
/// The pipeline names of <c>pipelines/catalog.json</c>, read when the model is built so the dashboard offers one
/// "Run" command per pipeline and <c>AutoRun</c> can be checked. The Submitter validates the rest of the file.
/// </summary>
public sealed class PipelineCatalogFile
{
    private PipelineCatalogFile(string path, IReadOnlyList<string> names)
    {
        Path = path;
        Names = names;
    }

    /// <summary>The catalog's absolute path.</summary>
    public string Path { get; }

    /// <summary>The pipeline names in catalog order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Reads the names of a catalog file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a catalog: the message names the file and the problem.</exception>
    public static PipelineCatalogFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The pipeline catalog '{fullPath}' does not exist.", fullPath);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(fullPath));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The pipeline catalog '{fullPath}' is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("pipelines", out var pipelines)
                || pipelines.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"The pipeline catalog '{fullPath}' has no \"pipelines\" array.");
            }

            var names = new List<string>();
            foreach (var pipeline in pipelines.EnumerateArray())
            {
                if (pipeline.ValueKind != JsonValueKind.Object
                    || !pipeline.TryGetProperty("name", out var name)
                    || name.ValueKind != JsonValueKind.String
                    || string.IsNullOrWhiteSpace(name.GetString()))
                {
                    throw new InvalidDataException(
                        $"The pipeline catalog '{fullPath}' has an entry without a \"name\" (entry {names.Count + 1}).");
                }

                var text = name.GetString()!;
                if (names.Contains(text, StringComparer.Ordinal))
                {
                    throw new InvalidDataException($"The pipeline catalog '{fullPath}' names '{text}' twice.");
                }

                names.Add(text);
            }

            return new PipelineCatalogFile(fullPath, names.AsReadOnly());
        }
    }

    /// <summary>Checks that every name is in the catalog.</summary>
    /// <param name="names">The names to check.</param>
    /// <param name="setting">What the names come from, for the message, e.g. <c>FlinkBeam:AutoRun</c>.</param>
    /// <exception cref="ArgumentException">A name is not in the catalog; the message lists the catalog's names.</exception>
    public void RequireAll(IEnumerable<string> names, string setting)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (!Names.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"{setting} names '{name}', which is not in {Path}; the catalog has: {string.Join(", ", Names)}.");
            }
        }
    }
}
