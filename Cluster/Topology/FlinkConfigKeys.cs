using FlinkBeam.Cluster.Versions;
namespace FlinkBeam.Cluster.Topology;

/// <summary>The Flink configuration keys the cluster sets, with the version-dependent ones resolved per Flink version.</summary>
public static class FlinkConfigKeys
{
    /// <summary>Host name of the JobManager's RPC endpoint.</summary>
    public const string JobManagerRpcAddress = "jobmanager.rpc.address";

    /// <summary>Port of the JobManager's RPC endpoint.</summary>
    public const string JobManagerRpcPort = "jobmanager.rpc.port";

    /// <summary>Total memory of the JobManager process.</summary>
    public const string JobManagerProcessSize = "jobmanager.memory.process.size";

    /// <summary>Address clients use for the REST endpoint (also used in the URLs the JobManager advertises).</summary>
    public const string RestAddress = "rest.address";

    /// <summary>REST port.</summary>
    public const string RestPort = "rest.port";

    /// <summary>Interface the REST server binds to.</summary>
    public const string RestBindAddress = "rest.bind-address";

    /// <summary>The JobManager's blob server port.</summary>
    public const string BlobServerPort = "blob.server.port";

    /// <summary>Slots each TaskManager offers.</summary>
    public const string TaskManagerSlots = "taskmanager.numberOfTaskSlots";

    /// <summary>Total memory of a TaskManager process.</summary>
    public const string TaskManagerProcessSize = "taskmanager.memory.process.size";

    /// <summary>Parallelism of jobs that do not set their own.</summary>
    public const string DefaultParallelism = "parallelism.default";

    /// <summary>Checkpoint directory key written for Flink 1.x, which every 1.x release reads.</summary>
    public const string LegacyCheckpointDirectory = "state.checkpoints.dir";

    /// <summary>Savepoint directory key written for Flink 1.x, which every 1.x release reads.</summary>
    public const string LegacySavepointDirectory = "state.savepoints.dir";

    /// <summary>Checkpoint directory key written for Flink 2.x.</summary>
    public const string CheckpointingDirectory = "execution.checkpointing.dir";

    /// <summary>Savepoint directory key written for Flink 2.x.</summary>
    public const string CheckpointingSavepointDirectory = "execution.checkpointing.savepoint-dir";

    /// <summary>The checkpoint directory key <paramref name="flink"/> reads.</summary>
    public static string CheckpointDirectory(MinorVersion flink) => flink.Major >= 2 ? CheckpointingDirectory : LegacyCheckpointDirectory;

    /// <summary>The savepoint directory key <paramref name="flink"/> reads.</summary>
    public static string SavepointDirectory(MinorVersion flink) => flink.Major >= 2 ? CheckpointingSavepointDirectory : LegacySavepointDirectory;
}
