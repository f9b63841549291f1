using System.Net;
using System.Net.Sockets;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.Unit;

/// <summary>How dialling an edge fails: as outcomes the reconnect loop understands, never as a crash.</summary>
public sealed class EdgeDialerTests
{
    [Fact]
    public async Task APeerThatAcceptsButNeverAnswersTheHandshake_IsUnreachable_AfterTheTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepting = silent.AcceptSocketAsync(TestContext.Current.CancellationToken);
        var endpoint = new Uri($"https://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");

        var (transport, failure) = await SessionLoops.DialAsync(endpoint, null, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Assert.Null(transport);
        Assert.Equal(AgentOutcomeKind.Unreachable, failure!.Kind);
        Assert.Contains("TLS handshake timed out: connected, but no answer within 1 s", failure.Message, StringComparison.Ordinal);
        using var accepted = await accepting;
    }

    [Fact]
    public async Task ACaFileThatCannotBeRead_IsAFatalRefusal_BeforeAnythingIsDialled()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.crt");
        var closed = new Uri($"https://127.0.0.1:{FreePort.Next()}");

        var (transport, failure) = await SessionLoops.DialAsync(closed, path, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Null(transport);
        Assert.Equal(AgentOutcomeKind.Refused, failure!.Kind);
        Assert.Equal(ErrorCode.FailedPrecondition, failure.Code);
        Assert.True(failure.IsFatal);
        Assert.Contains($"--ca-cert {path}: cannot read a PEM certificate there", failure.Message, StringComparison.Ordinal);
    }
}
