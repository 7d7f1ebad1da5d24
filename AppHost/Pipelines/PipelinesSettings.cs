using FlinkBeam.Cluster.Configuration;
using Microsoft.Extensions.Configuration;

namespace FlinkBeam.AppHost;

/// <summary>
/// The pipelines the AppHost runs: a folder holding <c>catalog.json</c> (what the Submitter may launch),
/// <c>requirements.txt</c> (the packages of its Python virtual environment) and <c>data/</c> (the TaskManagers' <c>/data</c>);
/// when configured, an interpreter that already has the cluster's apache-beam, used instead of that environment; and the
/// folder where the Submitter keeps the history of their runs.
/// </summary>
/// <param name="Folder">The folder, absolute (<c>FlinkBeam:Pipelines</c>, <c>../pipelines</c> by default, from the AppHost directory).</param>
/// <param name="PythonPath">The interpreter that runs the clients (<c>FlinkBeam:PythonPath</c>), or null for the folder's virtual environment.</param>
/// <param name="DataDirectory">The run history's folder, absolute (<c>FlinkBeam:DataDirectory</c>, <c>../.data/submitter</c> by default).</param>
internal sealed record PipelinesSettings(string Folder, string? PythonPath, string DataDirectory)
{
    private const string FolderSetting = $"{FlinkBeamSettings.SectionName}:Pipelines";
    private const string PythonSetting = $"{FlinkBeamSettings.SectionName}:PythonPath";
    private const string DataSetting = $"{FlinkBeamSettings.SectionName}:DataDirectory";

    /// <summary>The catalog of the pipelines.</summary>
    public string Catalog => Path.Combine(Folder, "catalog.json");

    /// <summary>The pipelines' input folder, mounted read-only at <c>/data</c> in every TaskManager.</summary>
    public string Data => Path.Combine(Folder, "data");

    /// <summary>Reads the settings; a relative path is taken from <paramref name="appHostDirectory"/>.</summary>
    /// <exception cref="ArgumentException">A setting names something that is not there; the message names the setting and its value.</exception>
    public static PipelinesSettings Load(IConfiguration configuration, string appHostDirectory)
    {
        var folderText = configuration[FolderSetting];
        var folder = Path.GetFullPath(string.IsNullOrWhiteSpace(folderText) ? "../pipelines" : folderText.Trim(), appHostDirectory);
        if (!Directory.Exists(folder))
        {
            throw new ArgumentException($"{FolderSetting} '{folderText}' is not a folder ({folder}); give the folder that holds catalog.json, e.g. ../pipelines.");
        }

        var dataText = configuration[DataSetting];
        var data = Path.GetFullPath(string.IsNullOrWhiteSpace(dataText) ? "../.data/submitter" : dataText.Trim(), appHostDirectory);

        var pythonText = configuration[PythonSetting];
        if (string.IsNullOrWhiteSpace(pythonText))
        {
            return new PipelinesSettings(folder, null, data);
        }

        var python = Path.GetFullPath(pythonText.Trim(), appHostDirectory);
        return File.Exists(python)
            ? new PipelinesSettings(folder, python, data)
            : throw new ArgumentException(
                $"{PythonSetting} '{pythonText}' is not a file ({python}); give a Python interpreter that has the cluster's apache-beam, or leave it unset for the pipelines' virtual environment.");
    }
}
