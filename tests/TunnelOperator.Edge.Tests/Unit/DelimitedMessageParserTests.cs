using System.Buffers;
using Google.Protobuf;
using TunnelOperator.Protocol.Framing;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class DelimitedMessageParserTests
{
    private static readonly ClientMessage[] Samples =
    [
        new() { Hello = new ClientHello { ProtocolVersion = 1, ClientVersion = "1.2.3", Token = new string('t', 52) } },
        new() { OpenTunnel = new OpenTunnel { RequestId = 7, Name = "laptop", Takeover = true, Protocol = TunnelProtocol.Http, Target = "http://127.0.0.1:3000/" } },
        new() { Heartbeat = new Heartbeat { Sequence = 42, SentUnixMs = 1_700_000_000_000 } },
        new() { Cancel = new Cancel { TunnelId = "abc", Reason = CancelReason.ClientClosed } },
        new() { OpenTunnel = new OpenTunnel { Name = new string('x', 300) } }, // a length prefix of two bytes
    ];

    private static byte[] Encode(IEnumerable<ClientMessage> messages)
    {
        using var memory = new MemoryStream();
        foreach (var message in messages)
        {
            message.WriteDelimitedTo(memory);
        }

        return memory.ToArray();
    }

    [Fact]
    public void Parse_InputSplitAtEveryByteBoundary_YieldsTheSameMessages()
    {
        var bytes = Encode(Samples);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var parsed = ParseAll(Segments.Split(bytes, split));
            Assert.Equal(Samples, parsed);
        }
    }

    [Fact]
    public void Parse_RandomChunkingsOfManyMessages_YieldsTheSameMessages()
    {
        var random = new Random(1234);
        var messages = Enumerable.Range(0, 200).Select(i => Samples[i % Samples.Length]).ToArray();
        var bytes = Encode(messages);
        for (var round = 0; round < 50; round++)
        {
            Assert.Equal(messages, ParseAll(Segments.RandomChunks(bytes, random)));
        }
    }

    [Fact]
    public void Parse_IncrementalFeedOneByteAtATime_NeedsMoreDataUntilComplete()
    {
        var bytes = Encode([Samples[1]]);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(DelimitedParseStatus.NeedMoreData, DelimitedMessageParser.TryParse(ref buffer, ClientMessage.Parser, 1024, out _));
            Assert.Equal(length, buffer.Length); // nothing consumed
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, DelimitedParseStatus.MalformedLength)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, DelimitedParseStatus.MalformedLength)]
    [InlineData(new byte[] { 0x81, 0x80, 0x04 }, DelimitedParseStatus.TooLarge)] // 65,537: one byte over 64 KiB
    [InlineData(new byte[] { 0x03, 0xFF, 0xFF, 0xFF }, DelimitedParseStatus.MalformedMessage)]
    public void Parse_HostileInput_IsRejectedWithTheRightStatus(byte[] input, DelimitedParseStatus expected)
    {
        var buffer = new ReadOnlySequence<byte>(input);
        Assert.Equal(expected, DelimitedMessageParser.TryParse(ref buffer, ClientMessage.Parser, 64 * 1024, out _));
    }

    [Fact]
    public void Parse_RandomGarbage_NeverThrows()
    {
        var random = new Random(99);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            var buffer = new ReadOnlySequence<byte>(bytes);
            var status = DelimitedMessageParser.TryParse(ref buffer, ClientMessage.Parser, 1024, out var message);
            Assert.True(status != DelimitedParseStatus.Message || message is not null);
        }
    }

    private static List<ClientMessage> ParseAll(ReadOnlySequence<byte> buffer)
    {
        var result = new List<ClientMessage>();
        while (true)
        {
            var status = DelimitedMessageParser.TryParse(ref buffer, ClientMessage.Parser, 64 * 1024, out var message);
            if (status == DelimitedParseStatus.NeedMoreData)
            {
                Assert.True(buffer.IsEmpty, "input ended with a partial message");
                return result;
            }

            Assert.Equal(DelimitedParseStatus.Message, status);
            result.Add(message!);
        }
    }
}
