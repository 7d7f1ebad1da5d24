namespace FlinkBeam.Cluster.Beam;

/// <summary>One job known to a Beam job server.</summary>
/// <param name="JobId">The job server's id, e.g. "wordcount-ab12cd34_6f1c...".</param>
/// <param name="JobName">The pipeline's --job_name.</param>
/// <param name="State">The job's current state.</param>
public sealed record BeamJobInfo(string JobId, string JobName, BeamJobState State);
