using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TunnelOperator.Edge.Tenants;

namespace TunnelOperator.Edge.Tests.EndToEnd;

/// <summary>
/// The control port runs its own TLS and hands HTTP clients to Kestrel: agents and the hub API
/// share it, HTTP/2 and HTTP/1.1 both reach the hub, anything below TLS 1.3 is refused, and a
/// stop closes the port.
/// </summary>
public sealed class ControlPortTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private InProcessEdge _edge = null!;
    private OriginServer _origin = null!;

    public async ValueTask InitializeAsync()
    {
        _edge = await InProcessEdge.StartAsync();
        _origin = await OriginServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _origin.DisposeAsync();
        await _edge.DisposeAsync();
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task HubApi_AnswersOnTheControlPort_OverEachHttpVersion(string version)
    {
        var key = await File.ReadAllTextAsync(OperatorKey.PathIn(_edge.Server.Services.Options.DataDirectory), Ct);
        using var client = EdgeHttp.Create(_edge.Server.ControlEndPoint!.Port, _edge.CaPath, Version.Parse(version));
        using var request = HubRequest(version, key.Trim());
        using var wrongKey = HubRequest(version, "not-the-key");

        using var answer = await client.SendAsync(request, Ct);
        using var refused = await client.SendAsync(wrongKey, Ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(Version.Parse(version), answer.Version);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private HttpRequestMessage HubRequest(string version, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_edge.ControlEndpoint, "/hub/v1/invites"))
        {
            Version = Version.Parse(version),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Authorization = new("Bearer", bearer);
        return request;
    }

    [Fact]
    public async Task PublicTunnelRequests_AreNotServedOnTheControlPort()
    {
        var (token, _, _) = await _edge.CreateUserAsync("control-port@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url, name: "ctl");
        var opened = await agent.NextOpenedAsync();
        var host = new Uri(opened.PublicUrl).Host;

        using var client = EdgeHttp.Create(_edge.Server.ControlEndPoint!.Port, _edge.CaPath);
        using var answer = await client.GetAsync(new Uri($"https://{host}:{_edge.Server.ControlEndPoint!.Port}/"), Ct);

        // The hub answers for itself; tunnel traffic belongs to the public ports.
        Assert.NotEqual(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty(_origin.Seen);
    }

    [Fact]
    public async Task Tls12Client_IsRefused()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _edge.Server.ControlEndPoint!.Port), Ct);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));

        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12,
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_edge.CaPath, Ct)) },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync(options, Ct));

        Assert.True(failure is AuthenticationException or IOException, failure.ToString());
    }

    [Fact]
    public async Task NonTlsBytes_AreClosed_AndTheNextAgentStillConnects()
    {
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _edge.Server.ControlEndPoint!.Port), Ct);
            await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None, Ct);

            // The handshake fails on the first record; the edge closes without answering HTTP.
            var buffer = new byte[256];
            int read;
            do
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct);
            }
            while (read > 0 && buffer[0] == 21); // a TLS alert may come before the close
            Assert.Equal(0, read);
        }

        var (token, _, _) = await _edge.CreateUserAsync("after-garbage@example.com");
        await using var agent = _edge.StartAgent(token, _origin.Url, name: "after");
        Assert.StartsWith("https://after-", (await agent.NextOpenedAsync()).PublicUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_ClosesTheControlPort()
    {
        var port = _edge.Server.ControlEndPoint!.Port;
        await _edge.Server.StopAsync();

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Ct).AsTask());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
