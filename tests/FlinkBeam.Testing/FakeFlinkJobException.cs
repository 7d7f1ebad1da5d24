namespace FlinkBeam.Testing;

/// <summary>The failure a fake job reports in /jobs/{id}/exceptions.</summary>
/// <param name="ExceptionName">Java class name, e.g. "java.lang.RuntimeException".</param>
/// <param name="Stacktrace">The stack trace text, first line "Class: message".</param>
public sealed record FakeFlinkJobException(string ExceptionName, string Stacktrace);
