using System.Buffers;
using System.Buffers.Binary;
using TunnelOperator.Mux.Framing;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Properties;

/// <summary>
/// Random input, not only the cases someone thought of: random 12-byte headers against an
/// independent reading of the spec, and random frame sequences (valid, invalid, for live,
/// unknown and closed streams, split at random points) against a live session, which must
/// end for a reason it can name and never fault or hang.
/// </summary>
public sealed class FuzzTests
{
    private const int Window = MuxOptions.InitialWindow;

    [Fact]
    public void RandomHeaders_ParseRoundTrip_AndAreJudgedAsTheSpecSays()
    {
        var random = new Random(8441);
        var bytes = new byte[FrameHeader.Size];
        var written = new byte[FrameHeader.Size];
        for (var i = 0; i < 200_000; i++)
        {
            random.NextBytes(bytes);
            // Bias towards version 0 and the known types, or almost everything is "bad version".
            if (i % 4 != 0)
            {
                bytes[0] = 0;
            }

            if (i % 3 != 0)
            {
                bytes[1] = (byte)(bytes[1] % 5);
            }

            if (i % 2 == 0)
            {
                bytes.AsSpan(4, 4).Clear();
            }

            var buffer = new ReadOnlySequence<byte>(bytes);
            Assert.True(FrameHeader.TryParse(ref buffer, out var header));
            Assert.True(buffer.IsEmpty);
            header.Write(written);
            Assert.Equal(bytes, written);
            Assert.Equal(Expected(bytes, Window), header.Check(Window));
        }
    }

    // The spec read again, independently of FrameHeader.Check.
    private static FrameError Expected(byte[] bytes, uint maxData)
    {
        var type = bytes[1];
        var stream = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4));
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        if (bytes[0] != 0)
        {
            return FrameError.UnsupportedVersion;
        }

        if (type > 3)
        {
            return FrameError.UnknownType;
        }

        var sessionFrame = type is 2 or 3;
        if (sessionFrame != (stream == 0))
        {
            return sessionFrame ? FrameError.SessionFrameOnStreamId : FrameError.StreamFrameOnSessionId;
        }

        return type == 0 && length > maxData ? FrameError.FrameTooLarge : FrameError.None;
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 200)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RandomFrameSequences_EndTheSessionForANamedReason(int seed)
    {
        var random = new Random(seed);
        var (sessionEnd, peerEnd) = DuplexPipe.CreatePair();
        await using var session = MuxSession.CreateServer(sessionEnd, MuxOptions.Default with { ReceiveWindow = Window }, TimeProvider.System, TestLogger.For("server"));
        var peer = new RawPeer(peerEnd);
        var reading = peer.ReadToEndAsync(); // what the session sends is drained, so it never waits on us
        var accepting = AcceptAndReadAllAsync(session);

        var input = RandomFrames(random, count: random.Next(1, 60));
        for (var offset = 0; offset < input.Length;)
        {
            var chunk = Math.Min(input.Length - offset, random.Next(1, 4096));
            await peer.SendRawAsync(input.AsMemory(offset, chunk));
            offset += chunk;
        }

        await peerEnd.Output.CompleteAsync();
        await session.Completion.Bound();
        await accepting.Bound();
        await reading.Bound();

        Assert.True(session.IsClosed);
        Assert.Matches("^(protocol error|the transport was closed by the peer|the peer sent GoAway)", session.EndReason);
    }

    private static async Task AcceptAndReadAllAsync(MuxSession session)
    {
        var readers = new List<Task>();
        while (await session.AcceptStreamAsync(Within.Token) is { } stream)
        {
            readers.Add(DrainAsync(stream));
        }

        await Task.WhenAll(readers);

        static async Task DrainAsync(MuxStream stream)
        {
            await using (stream)
            {
                try
                {
                    await stream.CopyToAsync(Stream.Null, Within.Token);
                }
                catch (MuxException)
                {
                    // reset by the peer or ended with the session: both are fine here
                }
            }
        }
    }

    // Frames of every kind, mostly well-formed so the session gets deep into its state
    // machine before something (maybe) breaks it: client-parity stream ids from a small set,
    // opened with SYN, then data, window updates, FIN and RST on the same streams; now and
    // then a wrong id, random flags, a bad version or type, or an outsized length.
    private static byte[] RandomFrames(Random random, int count)
    {
        var output = new ArrayBufferWriter<byte>();
        uint[] good = [1, 3, 5, 7, 9];
        uint[] bad = [0, 2, 4];
        var opened = new HashSet<uint>();
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var type = roll < 50 ? FrameType.Data : roll < 80 ? FrameType.WindowUpdate : roll < 93 ? FrameType.Ping : roll < 98 ? FrameType.GoAway : (FrameType)random.Next(4, 256);
            var version = random.Next(100) == 0 ? (byte)random.Next(1, 256) : FrameHeader.ProtocolVersion;
            uint id;
            FrameFlags flags;
            if (type is FrameType.Data or FrameType.WindowUpdate)
            {
                id = random.Next(30) == 0 ? bad[random.Next(bad.Length)] : good[random.Next(good.Length)];
                var wanted = random.Next(100);
                flags = wanted < 75
                    ? (opened.Add(id) ? FrameFlags.Syn : FrameFlags.None)
                    : wanted < 85 ? FrameFlags.Fin : wanted < 92 ? FrameFlags.Rst : (FrameFlags)random.Next(16);
            }
            else
            {
                id = random.Next(30) == 0 ? good[random.Next(good.Length)] : 0;
                flags = type == FrameType.GoAway ? FrameFlags.None : random.Next(2) == 0 ? FrameFlags.Syn : FrameFlags.Ack;
            }

            uint length;
            var payload = Array.Empty<byte>();
            if (type == FrameType.Data)
            {
                length = random.Next(40) == 0 ? (uint)random.Next(Window + 1, int.MaxValue) : (uint)random.Next(0, 20_000);
                payload = length <= 20_000 ? new byte[length] : [];
                random.NextBytes(payload);
            }
            else if (type == FrameType.GoAway)
            {
                length = random.Next(4) == 0 ? (uint)random.Next(1, 3) : 0; // mostly Normal, so the sequence goes on
            }
            else
            {
                length = random.Next(20) == 0 ? uint.MaxValue - (uint)random.Next(1000) : (uint)random.Next(0, 1 << 20);
            }

            new FrameHeader(type, flags, id, length, version).Write(output.GetSpan(FrameHeader.Size));
            output.Advance(FrameHeader.Size);
            output.Write(payload);
        }

        return output.WrittenSpan.ToArray();
    }
}
