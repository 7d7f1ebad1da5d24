using System.Diagnostics.CodeAnalysis;
using FlinkBeam.Cluster.Catalog;
using FlinkBeam.Submitter.Configuration;

namespace FlinkBeam.Submitter.Cli;

/// <summary>What every cluster command checks before it touches anything: the options and the catalog.</summary>
internal static class CliPreflight
{
    public static bool TryValidate(SubmitterOptions options, TextWriter stderr)
    {
        var errors = SubmitterOptionsValidator.Check(options);
        foreach (var error in errors)
        {
            stderr.WriteLine(error);
        }

        return errors.Count == 0;
    }

    public static bool TryLoad(SubmitterOptions options, TextWriter stderr, [NotNullWhen(true)] out PipelineCatalog? catalog)
    {
        catalog = null;
        if (!TryValidate(options, stderr))
        {
            return false;
        }

        try
        {
            catalog = PipelineCatalog.Load(options.CatalogPath);
            return true;
        }
        catch (CatalogException e)
        {
            stderr.WriteLine(e.Message);
            return false;
        }
    }
}
