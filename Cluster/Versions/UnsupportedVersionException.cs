namespace FlinkBeam.Cluster.Versions;

/// <summary>
/// A Beam, Flink or Python version that is malformed or not supported together with the others.
/// The message is one readable sentence naming what was asked and which choices exist.
/// </summary>
public sealed class UnsupportedVersionException : ArgumentException
{
    /// <summary>Creates the exception for a component (<c>"Beam"</c>, <c>"Flink"</c> or <c>"Python"</c>).</summary>
    public UnsupportedVersionException(string component, string message)
        : base(message)
    {
        Component = component;
    }

    /// <summary>The component whose version was rejected: <c>"Beam"</c>, <c>"Flink"</c> or <c>"Python"</c>.</summary>
    public string Component { get; }
}
