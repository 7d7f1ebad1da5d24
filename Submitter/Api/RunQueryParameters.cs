using System.Globalization;
using FlinkBeam.Submitter.Records;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FlinkBeam.Submitter.Api;

/// <summary>The query string of <c>GET /runs</c>: <c>limit</c>, <c>after</c> (a cursor), <c>state</c> (repeated or comma-separated), <c>pipeline</c>.</summary>
public static class RunQueryParameters
{
    private static readonly string[] Known = ["limit", "after", "state", "pipeline"];

    /// <summary>Reads the query; returns null and the query, or the problem with the parameter that cannot be read.</summary>
    public static string? TryRead(IQueryCollection parameters, out RunQuery? query)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        query = null;
        if (parameters.Keys.FirstOrDefault(k => !Known.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return $"'{unknown}' is not a query parameter of /runs; use {string.Join(", ", Known)}.";
        }

        var limit = RunQuery.DefaultLimit;
        if (Single(parameters, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > RunQuery.MaxLimit))
        {
            return $"limit '{limitText}' is not a whole number from 1 to {RunQuery.MaxLimit}.";
        }

        RunCursor? after = null;
        if (Single(parameters, "after") is { } afterText && !RunCursor.TryParse(afterText, out after))
        {
            return $"after '{afterText}' is not a cursor of this history; use the X-Next-Cursor of the previous page.";
        }

        var states = new List<RunState>();
        foreach (var text in Values(parameters["state"]))
        {
            if (RunStates.Parse(text) is not { } state)
            {
                return $"state '{text}' is not one of: {string.Join(", ", Enum.GetNames<RunState>())}.";
            }

            states.Add(state);
        }

        var pipeline = Single(parameters, "pipeline");
        query = new RunQuery(limit, after, states, string.IsNullOrWhiteSpace(pipeline) ? null : pipeline.Trim());
        return null;
    }

    /// <summary>The link of the page after <paramref name="next"/>, with the other parameters kept.</summary>
    public static string NextPage(PathString path, IQueryCollection parameters, RunCursor next)
    {
        var kept = parameters.Where(p => !string.Equals(p.Key, "after", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"after={Uri.EscapeDataString(next.ToString())}");
        return $"{path}?{string.Join('&', kept)}";
    }

    private static string? Single(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out var values) ? values.LastOrDefault() : null;

    private static IEnumerable<string> Values(StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
