using FlinkBeam.Submitter.Api;
using FlinkBeam.Submitter.Events;

namespace FlinkBeam.Submitter.Tests;

/// <summary>Cursors, where a client resumes, and the text/event-stream framing: pure functions, tables.</summary>
public sealed class RunEventCursorTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("abc", null)]
    [InlineData("-5", null)]
    [InlineData("abc-", null)]
    [InlineData("abc-+5", null)]
    [InlineData("abc-5x", null)]
    [InlineData("abc-0", "abc|0")]
    [InlineData("a1b2c3d4e5f6-4096", "a1b2c3d4e5f6|4096")]
    [InlineData("with-dash-7", "with-dash|7")]
    public void A_cursor_is_a_stream_and_a_sequence(string? text, string? expected)
    {
        var parsed = RunEventCursor.TryParse(text, out var cursor);

        Assert.Equal(expected is not null, parsed);
        if (expected is not null)
        {
            Assert.Equal(expected, $"{cursor.Stream}|{cursor.Sequence}");
            Assert.Equal(text, cursor.ToString());
        }
    }

    // stream "s", events 1..head handed out, those up to evictedUpTo no longer kept.
    [Theory]
    [InlineData(null, 0, 10, null)]
    [InlineData("garbage", 0, 10, null)]
    [InlineData("other-5", 0, 10, null)]
    [InlineData("s-5", 0, 10, 5L)]
    [InlineData("s-0", 0, 10, 0L)]
    [InlineData("s-10", 0, 10, 10L)]
    [InlineData("s-11", 0, 10, null)]
    [InlineData("s-3", 3, 10, 3L)]
    [InlineData("s-2", 3, 10, null)]
    [InlineData("s-0", 3, 10, null)]
    public void A_client_resumes_after_its_cursor_only_while_everything_after_it_is_kept(string? cursor, long evictedUpTo, long head, long? expected) =>
        Assert.Equal(expected, RunEventCursor.ResumeAfter(cursor, "s", evictedUpTo, head));

    [Theory]
    [InlineData("pipeline", """{"pipeline":"wordcount"}""", "id: s-7\nevent: pipeline\ndata: {\"pipeline\":\"wordcount\"}\n\n")]
    [InlineData("synced", "{}", "id: s-7\nevent: synced\ndata: {}\n\n")]
    [InlineData("output", "two\nlines", "id: s-7\nevent: output\ndata: two\ndata: lines\n\n")]
    [InlineData("output", "crlf\r\nend", "id: s-7\nevent: output\ndata: crlf\ndata: end\n\n")]
    public void An_event_is_framed_with_its_id_name_and_one_data_line_per_line(string name, string data, string expected) =>
        Assert.Equal(expected, ServerSentEvents.Event(new RunEvent(7, "s-7", name, data)));

    [Fact]
    public void The_stream_starts_with_the_reconnection_delay_and_pings_as_a_comment()
    {
        Assert.Equal("retry: 1000\n\n", ServerSentEvents.Retry(TimeSpan.FromSeconds(1)));
        Assert.Equal(": ping\n\n", ServerSentEvents.Ping);
    }
}
