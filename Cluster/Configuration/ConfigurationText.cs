using Microsoft.Extensions.Configuration;

namespace FlinkBeam.Cluster.Configuration;

/// <summary>Values as users write them in configuration and on the command line.</summary>
public static class ConfigurationText
{
    /// <summary>
    /// The member of <typeparamref name="T"/> named <paramref name="text"/> (any case, surrounding blanks ignored), or null.
    /// Enum.TryParse also takes numbers and comma lists; only the names are meant.
    /// </summary>
    public static T? EnumName<T>(string? text)
        where T : struct, Enum
    {
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is null ? null : Enum.Parse<T>(name);
    }

    /// <summary>
    /// A list: indexed children (JSON arrays, <c>Key__0</c>) or one comma-separated value (<c>Key=a,b</c>, as an
    /// environment variable gives it), trimmed, blank entries left out.
    /// </summary>
    public static List<string> List(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var children = section.GetChildren().ToList();
        var values = children.Count > 0 ? children.Select(c => c.Value) : (section.Value ?? string.Empty).Split(',');
        return values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
    }
}
