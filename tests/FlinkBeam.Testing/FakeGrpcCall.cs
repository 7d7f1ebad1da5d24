namespace FlinkBeam.Testing;

/// <summary>One call as <see cref="FakeBeamJobServer"/> received it.</summary>
/// <param name="Method">"GetJobs", "GetState", "Cancel", or the unknown method's name.</param>
/// <param name="Protocol">The HTTP protocol, e.g. "HTTP/2".</param>
/// <param name="ContentType">The request's content-type.</param>
/// <param name="Te">The request's te header.</param>
/// <param name="GrpcTimeout">The request's grpc-timeout header, if any.</param>
public sealed record FakeGrpcCall(string Method, string Protocol, string? ContentType, string? Te, string? GrpcTimeout);
