using System.Security.Cryptography;
using System.Text;

namespace FlinkBeam.Submitter.Api;

/// <summary>
/// The key callers present as <c>Authorization: Bearer &lt;key&gt;</c> (<c>Submitter:ApiKey</c>). Only its SHA-256
/// digest is kept; a presented key is hashed too and the digests are compared in constant time, so the time an answer
/// takes tells nothing about the key: not its length, not how much of it a guess got right.
/// </summary>
public sealed class ApiKey
{
    private const string Scheme = "Bearer";

    private readonly byte[] _digest;

    public ApiKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _digest = Digest(key);
    }

    /// <summary>Whether <paramref name="presented"/> is this key.</summary>
    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Digest(presented), _digest);

    /// <summary>The key in an <c>Authorization</c> header value <c>Bearer &lt;key&gt;</c> (the scheme in any case), or null.</summary>
    public static string? FromAuthorization(string? header)
    {
        if (header is null || header.Length <= Scheme.Length + 1
            || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header[Scheme.Length] != ' ')
        {
            return null;
        }

        var key = header[(Scheme.Length + 1)..].Trim(' ');
        return key.Length == 0 ? null : key;
    }

    /// <summary>Never the key.</summary>
    public override string ToString() => "(API key)";

    private static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
