using FlinkBeam.Submitter.Api;

namespace FlinkBeam.Submitter.Tests;

/// <summary><see cref="ApiKey"/>: the key is compared by digest in constant time, read from a Bearer header, and never shown.</summary>
public sealed class ApiKeyTests
{
    private const string Key = "s3cret-key-0123456789";

    [Theory]
    [InlineData(Key, true)]
    [InlineData("s3cret-key-012345678", false)]
    [InlineData("s3cret-key-01234567890", false)]
    [InlineData("S3CRET-KEY-0123456789", false)]
    [InlineData("s3cret-key-0123456788", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_the_key_itself_matches(string? presented, bool matches) =>
        Assert.Equal(matches, new ApiKey(Key).Matches(presented));

    [Theory]
    [InlineData("Bearer " + Key, Key)]
    [InlineData("bearer " + Key, Key)]
    [InlineData("BEARER  " + Key + " ", Key)]
    [InlineData("Bearer", null)]
    [InlineData("Bearer ", null)]
    [InlineData("Bearer" + Key, null)]
    [InlineData("Basic " + Key, null)]
    [InlineData(Key, null)]
    [InlineData(null, null)]
    public void The_key_is_read_from_a_Bearer_authorization_header(string? header, string? key) =>
        Assert.Equal(key, ApiKey.FromAuthorization(header));

    [Fact]
    public void The_key_is_never_its_text() =>
        Assert.DoesNotContain(Key, new ApiKey(Key).ToString(), StringComparison.Ordinal);
}
