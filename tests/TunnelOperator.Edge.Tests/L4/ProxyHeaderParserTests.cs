using System.Buffers;
using System.Net;
using TunnelOperator.Protocol.ProxyProtocol;

namespace TunnelOperator.Edge.Tests.L4;

public sealed class ProxyHeaderParserTests
{
    private static ProxyHeader Tcp4 => new()
    {
        Source = IPEndPoint.Parse("203.0.113.7:51234"),
        Destination = IPEndPoint.Parse("198.51.100.2:443"),
        Tlvs = [ProxyTlv.Text(ProxyTlv.Authority, "app.alice.example.eu"), ProxyTlv.Identity("alice", "web")],
    };

    [Fact]
    public void Tcp4Header_IsEncodedAsTheSpecLaysItOut()
    {
        var bytes = ProxyHeaderWriter.Encode(new ProxyHeader { Source = IPEndPoint.Parse("10.0.0.1:1234"), Destination = IPEndPoint.Parse("10.0.0.2:443") });

        byte[] expected =
        [
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x21, 0x11, 0x00, 0x0C,
            10, 0, 0, 1, 10, 0, 0, 2,
            0x04, 0xD2, 0x01, 0xBB,
        ];
        Assert.Equal(expected, bytes);
    }

    public static TheoryData<string, ProxyHeader> Headers() => new()
    {
        { "tcp4 with tlvs", Tcp4 },
        { "tcp6", new ProxyHeader { Source = IPEndPoint.Parse("[2001:db8::7]:4000"), Destination = IPEndPoint.Parse("[2001:db8::1]:2222") } },
        { "udp4", new ProxyHeader { Transport = ProxyTransport.Datagram, Source = IPEndPoint.Parse("192.0.2.9:53000"), Destination = IPEndPoint.Parse("192.0.2.1:5353") } },
        { "local", new ProxyHeader { Command = ProxyCommand.Local, Tlvs = [ProxyTlv.Identity("t", "s")] } },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void RoundTrip_AtEverySplit_AndInRandomChunks_LeavesThePayload(string what, ProxyHeader header)
    {
        var encoded = ProxyHeaderWriter.Encode(header);
        byte[] payload = [.. encoded, .. "GET / HTTP/1.1\r\n"u8.ToArray()];
        for (var at = 0; at <= payload.Length; at++)
        {
            AssertParses(Segments.Split(payload, at), header, encoded.Length, what);
        }

        for (var seed = 0; seed < 100; seed++)
        {
            AssertParses(Segments.RandomChunks(payload, new Random(seed)), header, encoded.Length, what);
        }

        for (var length = 0; length < encoded.Length; length++)
        {
            var prefix = new ReadOnlySequence<byte>(encoded, 0, length);
            Assert.Equal(ProxyParseStatus.NeedMoreData, ProxyHeaderParser.TryParse(ref prefix, out _));
            Assert.Equal(length, prefix.Length);
        }
    }

    private static void AssertParses(ReadOnlySequence<byte> buffer, ProxyHeader expected, int headerLength, string what)
    {
        var total = buffer.Length;
        Assert.True(ProxyHeaderParser.TryParse(ref buffer, out var parsed) == ProxyParseStatus.Complete, what);
        Assert.Equal(total - headerLength, buffer.Length);
        Assert.Equal(expected.Command, parsed!.Command);
        Assert.Equal(expected.Command == ProxyCommand.Local ? null : expected.Source, parsed.Source);
        Assert.Equal(expected.Command == ProxyCommand.Local ? null : expected.Destination, parsed.Destination);
        Assert.Equal(expected.Tlvs.Select(t => (t.Type, t.ValueAsText())), parsed.Tlvs.Select(t => (t.Type, t.ValueAsText())));
        if (expected.Source is not null && expected.Command == ProxyCommand.Proxy)
        {
            Assert.Equal(expected.Transport, parsed.Transport);
        }
    }

    [Fact]
    public void MappedIPv4Client_IsWrittenAsTcp4()
    {
        var bytes = ProxyHeaderWriter.Encode(new ProxyHeader { Source = IPEndPoint.Parse("[::ffff:192.0.2.5]:1000"), Destination = IPEndPoint.Parse("192.0.2.1:443") });
        Assert.Equal(0x11, bytes[13]);
        var sequence = new ReadOnlySequence<byte>(bytes);
        ProxyHeaderParser.TryParse(ref sequence, out var parsed);
        Assert.Equal(IPEndPoint.Parse("192.0.2.5:1000"), parsed!.Source);
    }

    [Fact]
    public void AuthorityAndIdentity_AreReadBack()
    {
        var sequence = new ReadOnlySequence<byte>(ProxyHeaderWriter.Encode(Tcp4));
        ProxyHeaderParser.TryParse(ref sequence, out var parsed);
        Assert.Equal("app.alice.example.eu", parsed!.Authority);
        Assert.Equal("tenant=alice;service=web", parsed.Find(ProxyTlv.TunnelIdentity)!.Value.ValueAsText());
    }

    public static TheoryData<string, byte[], ProxyParseStatus> BadHeaders()
    {
        var good = ProxyHeaderWriter.Encode(Tcp4);
        byte[] With(int index, byte value)
        {
            var copy = (byte[])good.Clone();
            copy[index] = value;
            return copy;
        }

        var shortAddresses = (byte[])good.Clone();
        shortAddresses[14] = 0;
        shortAddresses[15] = 4;
        var tlvOverrun = (byte[])good.Clone();
        tlvOverrun[29] = 0xFF; // first TLV's length high byte
        return new TheoryData<string, byte[], ProxyParseStatus>
        {
            { "version 1 in a v2 signature", With(12, 0x11), ProxyParseStatus.Malformed },
            { "command 2", With(12, 0x22), ProxyParseStatus.Malformed },
            { "family 4", With(13, 0x41), ProxyParseStatus.Malformed },
            { "transport 3", With(13, 0x13), ProxyParseStatus.Malformed },
            { "length below the address block", shortAddresses, ProxyParseStatus.Malformed },
            { "a TLV past the end", tlvOverrun, ProxyParseStatus.Malformed },
            { "a text header", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"u8.ToArray(), ProxyParseStatus.Version1 },
            { "TLS", [22, 3, 1, 0, 5], ProxyParseStatus.NotProxy },
            { "a bent signature", With(5, 0x0C), ProxyParseStatus.NotProxy },
            { "more than the limit", [.. good[..14], 0xFF, 0xFF], ProxyParseStatus.TooLarge },
        };
    }

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void BadHeaders_AreRefusedAsValues(string what, byte[] bytes, ProxyParseStatus expected)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.True(ProxyHeaderParser.TryParse(ref sequence, out var header) == expected, what);
        Assert.Null(header);
        Assert.Equal(bytes.Length, sequence.Length);
    }

    [Fact]
    public void Garbage_AfterTheSignature_NeverThrows()
    {
        var random = new Random(7);
        var signature = ProxyHeaderWriter.Signature.ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var tail = new byte[random.Next(0, 80)];
            random.NextBytes(tail);
            byte[] input = i % 3 == 0 ? tail : [.. signature, .. tail];
            var sequence = Segments.RandomChunks(input, random);
            var status = ProxyHeaderParser.TryParse(ref sequence, out _, maxHeaderBytes: random.Next(16, 200));
            Assert.True(Enum.IsDefined(status));
        }
    }
}
