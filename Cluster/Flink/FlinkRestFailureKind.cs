namespace FlinkBeam.Cluster.Flink;

/// <summary>Why a Flink REST call failed.</summary>
public enum FlinkRestFailureKind
{
    /// <summary>Flink answered with a non-success HTTP status.</summary>
    HttpStatus,
    /// <summary>The answer was not the JSON expected (broken, wrong types, or a required field missing).</summary>
    MalformedResponse,
    /// <summary>No answer within the HttpClient's timeout.</summary>
    Timeout,
    /// <summary>The connection could not be made or broke.</summary>
    Unreachable,
}
