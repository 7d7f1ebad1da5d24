namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>
/// A copy of a request taken before the first attempt, so every retry sends a fresh message: inner handlers
/// (endpoint resolution, trace-context injection) change the message they are given, and a streamed body
/// can be read only once.
/// </summary>
internal sealed class HttpRequestSnapshot
{
    private readonly HttpRequestMessage _original;
    private readonly byte[]? _body;

    private HttpRequestSnapshot(HttpRequestMessage original, byte[]? body)
    {
        _original = original;
        _body = body;
    }

    public static async Task<HttpRequestSnapshot> CaptureAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null
            ? null
            : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new HttpRequestSnapshot(request, body);
    }

    public HttpRequestMessage CreateAttempt()
    {
        var attempt = new HttpRequestMessage(_original.Method, _original.RequestUri)
        {
            Version = _original.Version,
            VersionPolicy = _original.VersionPolicy,
        };

        foreach (var header in _original.Headers)
        {
            attempt.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        IDictionary<string, object?> attemptOptions = attempt.Options;
        foreach (var option in _original.Options)
        {
            attemptOptions[option.Key] = option.Value;
        }

        if (_body is not null && _original.Content is not null)
        {
            attempt.Content = new ByteArrayContent(_body);
            foreach (var header in _original.Content.Headers)
            {
                attempt.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return attempt;
    }
}
