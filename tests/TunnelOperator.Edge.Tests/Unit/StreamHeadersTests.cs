using Google.Protobuf;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class StreamHeadersTests
{
    private static readonly StreamHeader Sample = new() { TunnelId = Guid.NewGuid().ToString(), Kind = StreamKind.Http, ClientAddress = "203.0.113.7:51234" };

    [Fact]
    public async Task Read_DeliveredOneByteAtATime_ReadsTheHeaderAndLeavesThePayload()
    {
        using var buffer = new MemoryStream();
        await StreamHeaders.WriteAsync(buffer, Sample, TestContext.Current.CancellationToken);
        buffer.Write("GET / HTTP/1.1\r\n"u8);
        var trickle = new TrickleStream(buffer.ToArray());

        var header = await StreamHeaders.ReadAsync(trickle, TestContext.Current.CancellationToken);
        Assert.Equal(Sample, header);
        var rest = new MemoryStream();
        await trickle.CopyToAsync(rest, TestContext.Current.CancellationToken);
        Assert.Equal("GET / HTTP/1.1\r\n"u8.ToArray(), rest.ToArray());
    }

    [Fact]
    public async Task Read_EveryTruncation_FailsAsAProtocolViolation()
    {
        using var buffer = new MemoryStream();
        await StreamHeaders.WriteAsync(buffer, Sample, TestContext.Current.CancellationToken);
        var bytes = buffer.ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            var truncated = new MemoryStream(bytes, 0, length);
            await Assert.ThrowsAnyAsync<IOException>(async () => await StreamHeaders.ReadAsync(truncated, TestContext.Current.CancellationToken));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x0F })]        // 4-byte length prefix
    [InlineData(new byte[] { 0x81, 0x40 })]                    // 8 KiB: over the 4 KiB cap
    [InlineData(new byte[] { 0x02, 0xFF, 0xFF })]              // not a protobuf message
    public async Task Read_HostileHeader_IsRefused(byte[] input)
    {
        var error = await Assert.ThrowsAsync<WireProtocolException>(async () => await StreamHeaders.ReadAsync(new MemoryStream(input), TestContext.Current.CancellationToken));
        Assert.Contains("header", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A read-only stream that returns one byte per read.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= data.Length || count == 0)
            {
                return 0;
            }

            buffer[offset] = data[_position++];
            return 1;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
