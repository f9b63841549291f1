using System.Buffers;
using TunnelOperator.Protocol.Datagrams;

namespace TunnelOperator.Edge.Tests.L4;

public sealed class DatagramFramesTests
{
    private static byte[] Frame(byte[] payload)
    {
        var frame = new byte[payload.Length + DatagramFrames.HeaderLength];
        DatagramFrames.WriteHeader(frame, payload.Length);
        payload.CopyTo(frame, DatagramFrames.HeaderLength);
        return frame;
    }

    private static readonly byte[][] Datagrams = [[], [1], [.. Enumerable.Range(0, 300).Select(i => (byte)i)], new byte[DatagramFrames.MaxDatagram]];

    private static List<byte[]> ReadAll(ReadOnlySequence<byte> buffer)
    {
        var read = new List<byte[]>();
        while (DatagramFrames.TryRead(ref buffer, out var datagram) == DatagramReadStatus.Datagram)
        {
            read.Add(datagram.ToArray());
        }

        Assert.Equal(0, buffer.Length);
        return read;
    }

    [Fact]
    public void Frames_KeepTheirBoundaries_AtEverySplit_AndInRandomChunks()
    {
        var stream = Datagrams.Take(3).SelectMany(Frame).ToArray();
        for (var at = 0; at <= stream.Length; at++)
        {
            Assert.Equal(Datagrams.Take(3), ReadAll(Segments.Split(stream, at)));
        }

        var big = Datagrams.SelectMany(Frame).ToArray();
        for (var seed = 0; seed < 5; seed++)
        {
            Assert.Equal(Datagrams, ReadAll(Segments.RandomChunks(big, new Random(seed))));
        }
    }

    [Fact]
    public void AnIncompleteFrame_NeedsMoreData_AndStaysUnread()
    {
        var frame = Frame([1, 2, 3]);
        for (var length = 0; length < frame.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.Equal(DatagramReadStatus.NeedMoreData, DatagramFrames.TryRead(ref buffer, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void ADatagramAboveTheLimit_CannotBeFramed() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DatagramFrames.WriteHeader(new byte[2], DatagramFrames.MaxDatagram + 1));
}
