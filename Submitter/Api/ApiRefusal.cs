namespace FlinkBeam.Submitter.Api;

/// <summary>Why <see cref="ApiAccess"/> answers a request itself, as the Problem Details it answers with.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Title">The problem's title.</param>
/// <param name="Detail">One sentence saying what is wrong and what to do.</param>
/// <param name="Challenge">The <c>WWW-Authenticate</c> header of a 401.</param>
/// <param name="Type">The problem type, where the status has no default one.</param>
public sealed record ApiRefusal(int Status, string Title, string Detail, string? Challenge = null, string? Type = null);
