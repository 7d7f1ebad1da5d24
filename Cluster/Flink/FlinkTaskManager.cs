namespace FlinkBeam.Cluster.Flink;

/// <summary>One entry of GET /taskmanagers.</summary>
/// <param name="Id">"id", e.g. "172.18.0.4:6122-1a2b3c".</param>
/// <param name="Path">"path": the TaskManager's RPC address.</param>
/// <param name="DataPort">"dataPort".</param>
/// <param name="TimeSinceLastHeartbeat">"timeSinceLastHeartbeat": despite the name, the epoch milliseconds of the last heartbeat.</param>
/// <param name="SlotsNumber">"slotsNumber".</param>
/// <param name="FreeSlots">"freeSlots".</param>
public sealed record FlinkTaskManager(string Id, string? Path, int DataPort, long TimeSinceLastHeartbeat, int SlotsNumber, int FreeSlots);
