using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>Real ClientHellos (the runtime's TLS stack, OpenSSL on Linux) and hand-made variants of them.</summary>
internal static class ClientHellos
{
    /// <summary>Starts a TLS handshake to a loopback listener and returns the first record(s) the client sent.</summary>
    public static async Task<byte[]> CaptureAsync(string? serverName, params string[] alpn)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        using var cancel = new CancellationTokenSource();
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: true);
        var handshake = ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName ?? string.Empty,
            ApplicationProtocols = [.. alpn.Select(p => new SslApplicationProtocol(p))],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }, cancel.Token);

        var stream = server.GetStream();
        var header = new byte[5];
        await stream.ReadExactlyAsync(header);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(3))];
        await stream.ReadExactlyAsync(body);
        await cancel.CancelAsync();
        client.Close();
        try
        {
            await handshake;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or AuthenticationException or ObjectDisposedException)
        {
        }

        await ssl.DisposeAsync();
        return [.. header, .. body];
    }

    /// <summary>The same handshake message carried in records of at most <paramref name="size"/> bytes.</summary>
    public static byte[] Refragment(byte[] hello, int size)
    {
        var message = hello.AsSpan(5).ToArray();
        var output = new List<byte>();
        for (var offset = 0; offset < message.Length; offset += size)
        {
            var length = Math.Min(size, message.Length - offset);
            output.AddRange([22, 3, 1, (byte)(length >> 8), (byte)length]);
            output.AddRange(message.AsSpan(offset, length).ToArray());
        }

        return [.. output];
    }

    /// <summary>A ClientHello record built by hand from the given extensions (type, data).</summary>
    public static byte[] Build(params (ushort Type, byte[] Data)[] extensions)
    {
        var body = new List<byte> { 3, 3 };
        body.AddRange(new byte[32]); // random
        body.Add(0); // session id
        body.AddRange([0, 2, 0x13, 0x01]); // one cipher suite
        body.AddRange([1, 0]); // null compression
        var ext = new List<byte>();
        foreach (var (type, data) in extensions)
        {
            ext.AddRange([(byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length]);
            ext.AddRange(data);
        }

        body.AddRange([(byte)(ext.Count >> 8), (byte)ext.Count]);
        body.AddRange(ext);
        var message = new List<byte> { 1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count };
        message.AddRange(body);
        return [22, 3, 1, (byte)(message.Count >> 8), (byte)message.Count, .. message];
    }

    public static byte[] ServerNameExtension(string name)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name);
        var entry = new List<byte> { 0, (byte)(bytes.Length >> 8), (byte)bytes.Length };
        entry.AddRange(bytes);
        return [(byte)(entry.Count >> 8), (byte)entry.Count, .. entry];
    }
}
