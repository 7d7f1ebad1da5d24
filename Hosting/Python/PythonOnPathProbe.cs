using FlinkBeam.Cluster.Versions;
using FlinkBeam.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Which Python is on PATH (the one the pipelines' virtual environment is made with), asked in a process of its own from
/// the moment the probe is made. Behind a pyenv shim the answer takes a few tenths of a second; an AppHost that makes the
/// probe before <c>DistributedApplication.CreateBuilder</c> has the answer by the time <c>LoadFlinkBeamSettings</c> needs it.
/// </summary>
public sealed class PythonOnPathProbe
{
    private readonly Task<(string Command, MinorVersion Version)?> _answer;

    /// <summary>Starts asking <c>python3</c>, else <c>python</c> (on Windows <c>py</c>, else <c>python</c>), for its version.</summary>
    public PythonOnPathProbe()
        : this(PythonInterpreter.Commands)
    {
    }

    /// <summary>As <see cref="PythonOnPathProbe()"/>, asking <paramref name="commands"/> in order.</summary>
    internal PythonOnPathProbe(IReadOnlyList<string> commands) =>
        _answer = Task.Run(() => PythonInterpreter.Probe(commands));

    /// <summary>The first command that ran and its minor version, or null when none ran; waits for the answer.</summary>
    internal (string Command, MinorVersion Version)? Answer() => _answer.GetAwaiter().GetResult();
}
