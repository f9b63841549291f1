using System.Buffers;
using TunnelOperator.Mux.Framing;

namespace TunnelOperator.Mux.Tests.Framing;

public sealed class FrameHeaderTests
{
    private const uint Cap = 4 * 1024 * 1024;
    private const byte Data = (byte)FrameType.Data;
    private const byte WindowUpdate = (byte)FrameType.WindowUpdate;
    private const byte Ping = (byte)FrameType.Ping;
    private const byte GoAway = (byte)FrameType.GoAway;

    // The example bytes are written out by hand from spec.md's field table, not by our writer.
    private static readonly byte[] DataSynOnStream5Length300 = [0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 1, 44];

    private static readonly FrameHeader[] Examples =
    [
        new FrameHeader(FrameType.Data, FrameFlags.None, 1, 0),
        new FrameHeader(FrameType.Data, FrameFlags.Syn | FrameFlags.Fin, 0xFFFFFFFF, 0xFFFFFFFF),
        new FrameHeader(FrameType.WindowUpdate, FrameFlags.Ack, 2, 4 * 1024 * 1024 - 256 * 1024),
        new FrameHeader(FrameType.WindowUpdate, FrameFlags.Rst, 0x80000001, 0),
        new FrameHeader(FrameType.Ping, FrameFlags.Syn, 0, 0xDEADBEEF),
        new FrameHeader(FrameType.GoAway, FrameFlags.None, 0, 2),
        new FrameHeader((FrameType)0xEE, (FrameFlags)0xBEEF, 0x01020304, 0x05060708, Version: 0x7F),
    ];

    // Indexes into Examples: FrameHeader is internal, so theories take the index.
    public static TheoryData<int> Headers => [.. Enumerable.Range(0, Examples.Length)];

    [Fact]
    public void TryParse_SpecExampleBytes_ReadsEveryFieldBigEndian()
    {
        var buffer = new ReadOnlySequence<byte>(DataSynOnStream5Length300);

        Assert.True(FrameHeader.TryParse(ref buffer, out var header));

        Assert.Equal(new FrameHeader(FrameType.Data, FrameFlags.Syn, 5, 300), header);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void Write_ThenTryParse_RoundTrips(int example)
    {
        var header = Examples[example];
        var bytes = new byte[FrameHeader.Size];
        header.Write(bytes);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(FrameHeader.TryParse(ref buffer, out var parsed));
        Assert.Equal(header, parsed);
    }

    [Fact]
    public void Write_ProducesTheSpecLayout()
    {
        var bytes = new byte[FrameHeader.Size];

        new FrameHeader(FrameType.Data, FrameFlags.Syn, 5, 300).Write(bytes);

        Assert.Equal(DataSynOnStream5Length300, bytes);
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void TryParse_HeaderSplitAtEveryByteBoundary_ParsesTheSame(int example)
    {
        var header = Examples[example];
        var bytes = new byte[FrameHeader.Size + 3];
        header.Write(bytes);
        bytes[12] = 0xAA; // the start of whatever follows must stay unread
        for (var split = 0; split <= bytes.Length; split++)
        {
            var buffer = Segments.Of(bytes[..split], bytes[split..]);

            Assert.True(FrameHeader.TryParse(ref buffer, out var parsed), $"split at {split}");
            Assert.Equal(header, parsed);
            Assert.Equal(3, buffer.Length);
            Assert.Equal(0xAA, buffer.FirstSpan[0]);
        }
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void TryParse_EveryPrefixShorterThanAHeader_ConsumesNothing(int example)
    {
        var header = Examples[example];
        var bytes = new byte[FrameHeader.Size];
        header.Write(bytes);
        for (var length = 0; length < FrameHeader.Size; length++)
        {
            for (var split = 0; split <= length; split++)
            {
                var buffer = Segments.Of(bytes[..split], bytes[split..length]);

                Assert.False(FrameHeader.TryParse(ref buffer, out _));
                Assert.Equal(length, buffer.Length);
            }
        }
    }

    [Fact]
    public void TryParse_ManyHeadersInRandomChunks_ParsesThemAllInOrder()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var expected = Enumerable.Range(0, 200)
            .Select(_ => new FrameHeader((FrameType)random.Next(4), (FrameFlags)random.Next(16), (uint)random.Next(), (uint)random.Next()))
            .ToList();
        var bytes = new byte[expected.Count * FrameHeader.Size];
        for (var i = 0; i < expected.Count; i++)
        {
            expected[i].Write(bytes.AsSpan(i * FrameHeader.Size));
        }

        for (var round = 0; round < 50; round++)
        {
            var buffer = Segments.Random(bytes, random);
            List<FrameHeader> parsed = [];
            while (FrameHeader.TryParse(ref buffer, out var header))
            {
                parsed.Add(header);
            }

            Assert.True(expected.SequenceEqual(parsed), $"seed {seed}, round {round}");
            Assert.True(buffer.IsEmpty);
        }
    }

    [Theory]
    [InlineData(1, Data, 1u, 0u, "UnsupportedVersion")]
    [InlineData(255, Ping, 0u, 0u, "UnsupportedVersion")]
    [InlineData(0, 4, 1u, 0u, "UnknownType")]
    [InlineData(0, 255, 0u, 0u, "UnknownType")]
    [InlineData(0, Data, 0u, 10u, "StreamFrameOnSessionId")]
    [InlineData(0, WindowUpdate, 0u, 10u, "StreamFrameOnSessionId")]
    [InlineData(0, Ping, 1u, 0u, "SessionFrameOnStreamId")]
    [InlineData(0, GoAway, 2u, 0u, "SessionFrameOnStreamId")]
    [InlineData(0, Data, 1u, Cap + 1, "FrameTooLarge")]
    [InlineData(0, Data, 1u, uint.MaxValue, "FrameTooLarge")]
    [InlineData(0, Data, 1u, Cap, "None")]
    [InlineData(0, WindowUpdate, 1u, uint.MaxValue, "None")]
    [InlineData(0, Ping, 0u, uint.MaxValue, "None")]
    [InlineData(0, GoAway, 0u, 7u, "None")]
    public void Check_JudgesHeadersAgainstTheSpec(byte version, byte type, uint streamId, uint length, string expected)
    {
        var header = new FrameHeader((FrameType)type, FrameFlags.None, streamId, length, version);

        Assert.Equal(Enum.Parse<FrameError>(expected), header.Check(Cap));
    }

    [Fact]
    public void Write_IntoTooSmallASpan_Throws()
    {
        var header = new FrameHeader(FrameType.Ping, FrameFlags.Syn, 0, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => header.Write(new byte[FrameHeader.Size - 1]));
    }
}
