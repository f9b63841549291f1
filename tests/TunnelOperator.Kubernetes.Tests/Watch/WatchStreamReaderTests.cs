using System.Text;
using System.Text.Json;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Watch;

namespace TunnelOperator.Kubernetes.Tests.Watch;

public sealed class WatchStreamReaderTests
{
    private const string Stream =
        "{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"1\"},\"data\":{\"k\":\"line\\nbreak {not a brace}\"}}}\n" +
        "  {\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"2\"}}}\r\n" +
        "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"3\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}" +
        "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"4\"}}}\n";

    private sealed record Decoded
    {
        public required WatchEventType Type { get; init; }
        public JsonElement Object { get; init; }
        public string? ResourceVersion { get; init; }
        public bool IsInitialEventsEnd { get; init; }
    }

    /// <summary>Hands out the bytes in the given pieces, one per read, as a network would.</summary>
    private sealed class PiecewiseStream(IEnumerable<byte[]> pieces) : MemoryStream
    {
        private readonly Queue<byte[]> _pieces = new(pieces.Where(p => p.Length > 0)); // an empty read means end of stream

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_pieces.Count == 0)
            {
                return ValueTask.FromResult(0);
            }

            var piece = _pieces.Dequeue();
            var n = Math.Min(piece.Length, buffer.Length);
            piece.AsSpan(0, n).CopyTo(buffer.Span);
            if (n < piece.Length)
            {
                _pieces.Enqueue(piece[n..]); // rare: the pipe's buffer is larger than any piece here
            }

            return ValueTask.FromResult(n);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
    }

    private static async Task<List<Decoded>> ReadAll(params byte[][] pieces)
    {
        var events = new List<Decoded>();
        var watch = new WatchStreamReader<object>(new PiecewiseStream(pieces), e => (object)e.Clone(), 1 << 20, "watch test");
        await using (watch)
        {
            while (await watch.ReadAsync(TestContext.Current.CancellationToken) is { } next)
            {
                events.Add(new Decoded { Type = next.Type, Object = next.Object is JsonElement element ? element : default, ResourceVersion = next.ResourceVersion, IsInitialEventsEnd = next.IsInitialEventsEnd });
            }
        }

        return events;
    }

    [Fact]
    public async Task Read_DecodesEveryEvent_WhereverTheStreamIsSplit()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var events = await ReadAll(bytes[..split], bytes[split..]);

            Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted], events.Select(e => e.Type));
            Assert.Equal(["1", "2", "3", "4"], events.Select(e => e.ResourceVersion));
            Assert.True(events[2].IsInitialEventsEnd);
            Assert.Equal("line\nbreak {not a brace}", events[0].Object.GetProperty("data").GetProperty("k").GetString());
        }
    }

    [Fact]
    public async Task Read_OneByteAtATime_DecodesTheSame()
    {
        var events = await ReadAll([.. Encoding.UTF8.GetBytes(Stream).Select(b => new[] { b })]);

        Assert.Equal(4, events.Count);
    }

    [Fact]
    public async Task Read_ATruncatedLastEvent_EndsTheWatchLikeACleanClose()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);

        var events = await ReadAll(bytes[..^20]);

        Assert.Equal(3, events.Count);
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"type\":\"ADDED\"}", "has no object")]
    [InlineData("{\"type\":\"SYNC\",\"object\":{}}", "unknown watch event type")]
    [InlineData("{\"type\":\"ADDED\",\"object\":{]}", "not valid JSON")]
    public async Task Read_MalformedStreams_AreProtocolErrors(string text, string problem)
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(Encoding.UTF8.GetBytes(text)));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_AnEventLargerThanTheLimit_IsRefused()
    {
        var huge = "{\"type\":\"ADDED\",\"object\":{\"data\":\"" + new string('x', 4096) + "\"}}";
        await using var reader = new WatchStreamReader<object>(new PiecewiseStream([.. Encoding.UTF8.GetBytes(huge).Chunk(100)]), e => e, 1024, "watch test");

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Read_ErrorEvent_Throws_ExpiredOnlyFor410()
    {
        var expired = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}";
        var other = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"InternalError\",\"code\":500}}";

        await Assert.ThrowsAsync<ResourceVersionExpiredException>(() => ReadAll(Encoding.UTF8.GetBytes(expired)));
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => ReadAll(Encoding.UTF8.GetBytes(other)));
        Assert.False(error.IsGone);
    }
}
