using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using TunnelOperator.Agent.Forwards;
using TunnelOperator.Protocol.Datagrams;
using TunnelOperator.Protocol.Forwards;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>
/// The framing of forward streams: the delimited messages at their head (ForwardOpen,
/// ForwardRequest) followed by pipelined bytes, and UDP datagram frames, each with the input
/// split at every byte boundary.
/// </summary>
public sealed class ForwardFramingTests
{
    private static readonly byte[] Pipelined = "first bytes of the connection"u8.ToArray();

    private static readonly byte[] Proof = [.. Enumerable.Range(0, ForwardProof.ProofLength).Select(i => (byte)(i * 7))];

    private static byte[] StreamHead() =>
    [
        .. ForwardFraming.Encode(
            new ForwardOpen { ServerId = "db.alice-7f0c" },
            new ForwardRequest { Source = "tcp://127.0.0.1:5432", TokenProof = ByteString.CopyFrom(Proof) }),
        .. Pipelined,
    ];

    [Fact]
    public async Task Head_SplitAtEveryByte_ParsesBothMessagesAndKeepsWhatFollows()
    {
        var bytes = StreamHead();
        for (var split = 0; split <= bytes.Length; split++)
        {
            var pipe = new Pipe();
            await pipe.Writer.WriteAsync(bytes.AsMemory(0, split), TestContext.Current.CancellationToken);
            var reading = ReadHeadAsync(pipe.Reader);
            await pipe.Writer.WriteAsync(bytes.AsMemory(split), TestContext.Current.CancellationToken);
            await pipe.Writer.CompleteAsync();
            var (open, request, rest) = await reading;
            Assert.Equal("db.alice-7f0c", open.ServerId);
            Assert.Equal("tcp://127.0.0.1:5432", request.Source);
            Assert.Equal(Pipelined, rest);
        }
    }

    [Fact]
    public async Task Head_AsTwoSegments_ParsesTheSame()
    {
        var bytes = StreamHead();
        for (var split = 0; split <= bytes.Length; split++)
        {
            var (open, request, rest) = await ReadHeadAsync(PipeReader.Create(Segments.Split(bytes, split)));
            Assert.Equal("db.alice-7f0c", open.ServerId);
            Assert.Equal(Proof, request.TokenProof.ToByteArray());
            Assert.Equal(Pipelined, rest);
        }
    }

    [Fact]
    public async Task FlushBuffered_HandsOnExactlyWhatWasBuffered()
    {
        var bytes = StreamHead();
        var reader = PipeReader.Create(new MemoryStream(bytes), new StreamPipeReaderOptions(bufferSize: 4096));
        var open = await ForwardFraming.ReadAsync(reader, ForwardOpen.Parser, TestContext.Current.CancellationToken);
        Assert.Equal(ForwardFrameStatus.Message, open.Status);
        var destination = new MemoryStream();
        await ForwardFraming.FlushBufferedAsync(reader, destination, TestContext.Current.CancellationToken);
        Assert.Equal(bytes[ForwardFraming.Encode(open.Message!).Length..], destination.ToArray());
    }

    [Theory]
    [InlineData(new byte[0], ForwardFrameStatus.EndOfStream)]
    [InlineData(new byte[] { 5, 10, 3 }, ForwardFrameStatus.Truncated)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, ForwardFrameStatus.Malformed)]
    [InlineData(new byte[] { 0x81, 0x80, 0x01 }, ForwardFrameStatus.Malformed)] // 16 KiB + 1: over the limit
    [InlineData(new byte[] { 2, 0xFF, 0xFF }, ForwardFrameStatus.Malformed)]
    public async Task Head_ThatIsNotAMessage_IsAValueNotAnException(byte[] bytes, ForwardFrameStatus expected)
    {
        var frame = await ForwardFraming.ReadAsync(PipeReader.Create(new ReadOnlySequence<byte>(bytes)), ForwardOpen.Parser, TestContext.Current.CancellationToken);
        Assert.Equal(expected, frame.Status);
        Assert.Null(frame.Message);
    }

    private static async Task<(ForwardOpen Open, ForwardRequest Request, byte[] Remainder)> ReadHeadAsync(PipeReader reader)
    {
        var open = await ForwardFraming.ReadAsync(reader, ForwardOpen.Parser, TestContext.Current.CancellationToken);
        var request = await ForwardFraming.ReadAsync(reader, ForwardRequest.Parser, TestContext.Current.CancellationToken);
        Assert.Equal(ForwardFrameStatus.Message, open.Status);
        Assert.Equal(ForwardFrameStatus.Message, request.Status);
        var rest = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync(TestContext.Current.CancellationToken);
            foreach (var segment in result.Buffer)
            {
                rest.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return (open.Message!, request.Message!, rest.ToArray());
            }
        }
    }

    // --- UDP datagrams: the shared 2-byte length codec, as the forward streams use it ---

    private static readonly byte[][] Datagrams =
    [
        "ping"u8.ToArray(),
        [],
        [.. Enumerable.Range(0, 300).Select(i => (byte)i)],
        [0x00, 0x01],
    ];

    private static byte[] Framed(IEnumerable<byte[]> datagrams)
    {
        var output = new MemoryStream();
        foreach (var datagram in datagrams)
        {
            output.WriteByte((byte)(datagram.Length >> 8));
            output.WriteByte((byte)datagram.Length);
            output.Write(datagram);
        }

        return output.ToArray();
    }

    [Fact]
    public void DatagramFrames_SplitAtEveryByte_YieldTheSameDatagrams()
    {
        var bytes = Framed(Datagrams);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var buffer = Segments.Split(bytes, split);
            var seen = new List<byte[]>();
            while (DatagramFrames.TryRead(ref buffer, out var datagram) == DatagramReadStatus.Datagram)
            {
                seen.Add(datagram.ToArray());
            }

            Assert.True(buffer.IsEmpty);
            Assert.Equal(Datagrams, seen);
        }
    }

    [Fact]
    public void DatagramFrames_AnIncompleteFrame_NeedsMoreDataAndConsumesNothing()
    {
        var bytes = Framed([new byte[10]]);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(DatagramReadStatus.NeedMoreData, DatagramFrames.TryRead(ref buffer, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public async Task DatagramStream_ArrivingByteByByteOrInRandomChunks_DeliversEveryDatagramWhole()
    {
        var big = new byte[DatagramFrames.MaxDatagram];
        Random.Shared.NextBytes(big);
        byte[][] datagrams = [.. Datagrams, big, "tail"u8.ToArray()];
        var bytes = Framed(datagrams);
        foreach (var chunking in new[] { 1, 3, 0 })
        {
            var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 512));
            var seen = new List<byte[]>();
            var reading = DatagramStream.ReadAllAsync(pipe.Reader, (datagram, _) =>
            {
                seen.Add(datagram.ToArray());
                return ValueTask.CompletedTask;
            }, TestContext.Current.CancellationToken);
            for (var offset = 0; offset < bytes.Length;)
            {
                var length = Math.Min(bytes.Length - offset, chunking > 0 ? chunking : Random.Shared.Next(1, 2000));
                await pipe.Writer.WriteAsync(bytes.AsMemory(offset, length), TestContext.Current.CancellationToken);
                offset += length;
            }

            await pipe.Writer.CompleteAsync();
            await reading;
            Assert.Equal(datagrams, seen);
        }
    }

    [Fact]
    public async Task DatagramStream_Write_FramesOneDatagramPerWrite()
    {
        var output = new MemoryStream();
        foreach (var datagram in Datagrams)
        {
            await DatagramStream.WriteAsync(output, datagram, TestContext.Current.CancellationToken);
        }

        Assert.Equal(Framed(Datagrams), output.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => DatagramFrames.WriteHeader(new byte[2], DatagramFrames.MaxDatagram + 1));
    }

    [Fact]
    public void Encode_WritesDelimitedMessagesBackToBack()
    {
        var open = new ForwardOpen { ServerId = "x.y" };
        var reply = new ForwardReply { Status = ForwardStatus.Ok };
        var expected = new MemoryStream();
        open.WriteDelimitedTo(expected);
        reply.WriteDelimitedTo(expected);
        Assert.Equal(expected.ToArray(), ForwardFraming.Encode(open, reply));
    }
}
