using System.Buffers;
using TunnelOperator.Edge.FrontDoor;

namespace TunnelOperator.Edge.Tests.L4;

public sealed class ClientHelloParserTests
{
    private static ClientHelloStatus Parse(byte[] bytes, out ClientHelloInfo? info, int max = ClientHelloParser.DefaultMaxHelloBytes) =>
        ClientHelloParser.TryParse(new ReadOnlySequence<byte>(bytes), out info, max);

    [Fact]
    public async Task RealClientHello_GivesTheServerNameAndAlpn()
    {
        var hello = await ClientHellos.CaptureAsync("App.Alice.Example.EU", "h2", "http/1.1");

        Assert.Equal(ClientHelloStatus.Complete, Parse(hello, out var info));
        Assert.Equal("app.alice.example.eu", info!.ServerName);
        Assert.Equal(["h2", "http/1.1"], info.ApplicationProtocols);
    }

    [Fact]
    public async Task RealClientHello_WithoutServerName_IsCompleteWithNoName()
    {
        var hello = await ClientHellos.CaptureAsync(null);

        Assert.Equal(ClientHelloStatus.Complete, Parse(hello, out var info));
        Assert.Null(info!.ServerName);
    }

    [Fact]
    public async Task EveryPrefix_NeedsMoreData_AndEverySplit_GivesTheSameAnswer()
    {
        var hello = await ClientHellos.CaptureAsync("split.example.eu", "h2");
        for (var length = 0; length < hello.Length; length++)
        {
            Assert.Equal(ClientHelloStatus.NeedMoreData, Parse(hello[..length], out _));
        }

        for (var at = 0; at <= hello.Length; at++)
        {
            Assert.Equal(ClientHelloStatus.Complete, ClientHelloParser.TryParse(Segments.Split(hello, at), out var info));
            Assert.Equal("split.example.eu", info!.ServerName);
        }
    }

    [Fact]
    public async Task RandomChunkings_GiveTheSameAnswer()
    {
        var hello = await ClientHellos.CaptureAsync("chunks.example.eu", "http/1.1");
        for (var seed = 0; seed < 200; seed++)
        {
            Assert.Equal(ClientHelloStatus.Complete, ClientHelloParser.TryParse(Segments.RandomChunks(hello, new Random(seed)), out var info));
            Assert.Equal("chunks.example.eu", info!.ServerName);
        }
    }

    [Theory]
    [InlineData(0)] // as many records as allowed
    [InlineData(50)]
    [InlineData(500)]
    public async Task HandshakeSplitAcrossRecords_IsReassembled(int fragment)
    {
        var whole = await ClientHellos.CaptureAsync("records.example.eu", "h2");
        var message = whole.Length - 5;
        if (fragment == 0)
        {
            fragment = (message + ClientHelloParser.MaxHelloRecords - 1) / ClientHelloParser.MaxHelloRecords;
        }

        var hello = ClientHellos.Refragment(whole, fragment);
        Assert.True((message + fragment - 1) / fragment <= ClientHelloParser.MaxHelloRecords);

        Assert.Equal(ClientHelloStatus.Complete, Parse(hello, out var info));
        Assert.Equal("records.example.eu", info!.ServerName);
        for (var length = 0; length < hello.Length; length += 7)
        {
            Assert.Equal(ClientHelloStatus.NeedMoreData, Parse(hello[..length], out _));
        }

        for (var seed = 0; seed < 20; seed++)
        {
            Assert.Equal(ClientHelloStatus.Complete, ClientHelloParser.TryParse(Segments.RandomChunks(hello, new Random(seed)), out _));
        }
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n")]
    [InlineData("\r\n\r\n\0\r\nQUIT\n")]
    public void NotTls_IsSaidAtTheFirstByte(string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        Assert.Equal(ClientHelloStatus.NotTls, Parse(bytes, out _));
        Assert.Equal(ClientHelloStatus.NotTls, Parse(bytes[..1], out _));
    }

    [Fact]
    public void AnnouncedHandshakeAboveTheLimit_IsTooLarge_BeforeItArrives()
    {
        byte[] announce = [22, 3, 1, 0x40, 0x00, 1, 0x01, 0x00, 0x00]; // 64 KiB ClientHello announced
        Assert.Equal(ClientHelloStatus.TooLarge, Parse(announce, out _));
    }

    [Fact]
    public async Task MoreRecordsThanAllowed_AreMalformed_AsSoonAsTheExtraOneIsWhole()
    {
        var hello = ClientHellos.Refragment(await ClientHellos.CaptureAsync("trickle.example.eu"), 1);
        var recordsAllowed = ClientHelloParser.MaxHelloRecords * 6; // one-byte records take 6 bytes each

        Assert.Equal(ClientHelloStatus.NeedMoreData, Parse(hello[..recordsAllowed], out _));
        Assert.Equal(ClientHelloStatus.Malformed, Parse(hello[..(recordsAllowed + 6)], out _));
        Assert.Equal(ClientHelloStatus.Malformed, Parse(hello, out _));
    }

    [Fact]
    public async Task RecordsPilingUpBeyondTheLimit_AreTooLarge()
    {
        var hello = await ClientHellos.CaptureAsync("big.example.eu");
        var message = hello.AsSpan(5).ToArray();
        Assert.Equal(ClientHelloStatus.TooLarge, Parse(hello, out _, max: message.Length - 10));
    }

    public static TheoryData<string, byte[]> MalformedHellos()
    {
        var good = ClientHellos.Build((0, ClientHellos.ServerNameExtension("ok.example.eu")));
        var serverHello = (byte[])good.Clone();
        serverHello[5] = 2;
        var trailing = ClientHellos.Build((0, ClientHellos.ServerNameExtension("ok.example.eu")));
        trailing = [.. trailing[..3], (byte)0, (byte)(trailing[4] + 1), .. trailing[5..], 0x00];
        var extensionOverrun = (byte[])good.Clone();
        extensionOverrun[^(ClientHellos.ServerNameExtension("ok.example.eu").Length + 1)] = 0xFF;
        return new TheoryData<string, byte[]>
        {
            { "a handshake that is not a ClientHello", serverHello },
            { "a zero-length record", [22, 3, 1, 0, 0] },
            { "an oversized record", [22, 3, 1, 0x48, 0x01, 1] },
            { "bytes after the ClientHello in its record", trailing },
            { "an extension longer than its list", extensionOverrun },
            { "two server_name extensions", ClientHellos.Build((0, ClientHellos.ServerNameExtension("a.example.eu")), (0, ClientHellos.ServerNameExtension("b.example.eu"))) },
            { "a NUL in the server name", ClientHellos.Build((0, ClientHellos.ServerNameExtension("a\0.example.eu"))) },
            { "an empty server name", ClientHellos.Build((0, ClientHellos.ServerNameExtension(""))) },
            { "an ALPN entry of length zero", ClientHellos.Build((16, [0, 1, 0])) },
            { "an alert record after a first fragment", [.. ClientHellos.Refragment(good, 10)[..15], 21, 3, 3, 0, 2, 2, 40] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedHellos))]
    public void Malformed_IsSaidSo(string what, byte[] bytes)
    {
        Assert.True(Parse(bytes, out _) == ClientHelloStatus.Malformed, what);
    }

    [Fact]
    public void HandBuiltHello_WithSniAndAlpn_Parses()
    {
        var hello = ClientHellos.Build((0, ClientHellos.ServerNameExtension("hand.example.eu")), (16, [0, 3, 2, (byte)'h', (byte)'2']));
        Assert.Equal(ClientHelloStatus.Complete, Parse(hello, out var info));
        Assert.Equal("hand.example.eu", info!.ServerName);
        Assert.Equal(["h2"], info.ApplicationProtocols);
    }

    [Fact]
    public async Task Garbage_AndMutatedHellos_NeverThrow()
    {
        var random = new Random(4242);
        var hello = await ClientHellos.CaptureAsync("fuzz.example.eu", "h2");
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 600)];
                random.NextBytes(input);
                if (input.Length > 0 && i % 4 == 0)
                {
                    input[0] = 22; // get past the first check now and then
                }
            }
            else
            {
                input = (byte[])hello.Clone();
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                input = input[..random.Next(input.Length + 1)];
            }

            var status = ClientHelloParser.TryParse(Segments.RandomChunks(input, random), out _);
            Assert.True(Enum.IsDefined(status));
        }
    }
}
