using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TunnelOperator.Edge.Tests.L4;

/// <summary>The shipped programs: tunneld invite/tenant, tunnelctl agent/entry/tenant, with curl and openssl as peers.</summary>
public sealed class L4ProgramTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("l4-programs").FullName;
    private TunneldProcess _edge = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _edge = new TunneldProcess(Path.Combine(_dir, "edge"), ["--ports-bind-addr", "127.0.0.1", "--token-recheck-seconds", "1"]);
        await _edge.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _edge.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<(int ExitCode, string Output)> TunneldAsync(params string[] args) =>
        ProgramProcess.RunAsync(RepoPaths.Tunneld, [.. args, "--data-dir", _edge.DataDir]);

    private static Task<(int ExitCode, string Output)> TunnelctlAsync(string token, string caPath, params string[] args) =>
        ProgramProcess.RunAsync(RepoPaths.Tunnelctl, args, new Dictionary<string, string?> { ["TUNNEL_INVITE_TOKEN"] = token, ["TUNNEL_CA_CERT"] = caPath });

    private async Task<string> InviteAsync(string name, string hostnames)
    {
        var (code, output) = await TunneldAsync("invite", "create", "--name", name, "--hostnames", hostnames);
        Assert.True(code == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
    }

    [Fact]
    public async Task InviteAgentEntriesAndRevoke_WithTheShippedPrograms()
    {
        await using var peers = new OriginPeers();
        var (cert, key) = peers.SelfSigned("app.alice.test");
        var tls = await peers.OpensslServerAsync(cert, key);
        await using var echo = new TcpEchoOrigin();
        var port = FreePort.Next();

        var token = await InviteAsync("alice", "*.alice.test");
        Assert.StartsWith("tinv1_", token, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_edge.DataDir, "operator.key")));

        await using var agent = ProgramProcess.Start(RepoPaths.Tunnelctl, ["agent"], new Dictionary<string, string?>
        {
            ["TUNNEL_INVITE_TOKEN"] = token,
            ["TUNNEL_CA_CERT"] = _edge.CaPath,
            ["TUNNEL_AGENT_SERVICES"] = $$"""[{"hostname":"app.alice.test","origin":"127.0.0.1:{{tls}}","proxy_protocol":"none"}]""",
            ["TUNNEL_AGENT_TCP_SERVICES"] = $$"""[{"name":"echo","origin":"{{echo.Origin}}","listen_port":{{port}}},{"name":"low","origin":"{{echo.Origin}}","listen_port":22}]""",
        });
        await agent.WaitForLineAsync("tunnelctl agent ready");
        Assert.Contains(agent.Lines, l => l.Contains($"service echo: live at tcp://localhost:{port}", StringComparison.Ordinal));
        Assert.Contains(agent.Lines, l => l.Contains("service low: refused", StringComparison.Ordinal) && l.Contains("--allow-privileged-ports", StringComparison.Ordinal));

        var (curl, body, verbose) = await RealTools.CurlAsync("-v", "--resolve", $"app.alice.test:{_edge.HttpsPort}:127.0.0.1", "--cacert", cert, $"https://app.alice.test:{_edge.HttpsPort}/");
        Assert.True(curl == 0, verbose);
        Assert.Contains("s_server", body, StringComparison.Ordinal);
        Assert.Equal("over tcp", await PortTests.TcpRoundTripAsync(port, "over tcp"));

        var (code, output) = await TunnelctlAsync(token, _edge.CaPath, "entry", "submit", "--op", "upsert-hostname", "--hostname", "extra.alice.test");
        Assert.True(code == 0, output);
        (code, output) = await TunnelctlAsync(token, _edge.CaPath, "entry", "submit", "--op", "upsert-hostname", "--hostname", "app.bob.test");
        Assert.NotEqual(0, code);
        Assert.Contains("not allowed by the invite", output, StringComparison.Ordinal);
        (code, output) = await TunnelctlAsync(token, _edge.CaPath, "entry", "list");
        Assert.True(code == 0, output);
        Assert.Contains("extra.alice.test", output, StringComparison.Ordinal);
        Assert.Contains("app.alice.test", output, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), output, StringComparison.Ordinal);

        // The operator from "another machine": the hub API on the control port, the key from the data dir.
        (code, output) = await TunneldAsync("invite", "list", "--hub-url", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath);
        Assert.True(code == 0, output);
        var inviteId = output.Split('\n').Single(l => l.Contains("alice", StringComparison.Ordinal)).Split(' ')[0];
        (code, output) = await TunneldAsync("invite", "revoke", "--id", inviteId, "--hub-url", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath);
        Assert.True(code == 0, output);

        var exit = await agent.Exited.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.NotEqual(0, exit);
        Assert.Contains(agent.Lines, l => l.Contains("revoked", StringComparison.Ordinal));
        await Assert.ThrowsAsync<SocketException>(() => PortTests.TcpRoundTripAsync(port, "gone"));
    }

    [Fact]
    public async Task TenantLeave_AndTenantRemove_Decommission()
    {
        var alice = await InviteAsync("alice", "*.alice.test");
        var bob = await InviteAsync("bob", "*.bob.test");

        var (code, output) = await TunnelctlAsync(alice, _edge.CaPath, "tenant", "leave");
        Assert.True(code == 0, output);
        (code, output) = await TunnelctlAsync(alice, _edge.CaPath, "entry", "list");
        Assert.NotEqual(0, code);

        (code, output) = await TunneldAsync("invite", "list");
        var bobTenant = output.Split('\n').Single(l => l.Contains(" bob ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.DoesNotContain(" alice ", output, StringComparison.Ordinal);
        (code, output) = await TunneldAsync("tenant", "remove", "--tenant-id", bobTenant);
        Assert.True(code == 0, output);
        (code, output) = await TunnelctlAsync(bob, _edge.CaPath, "entry", "list");
        Assert.NotEqual(0, code);
        Assert.Contains("invalid invite token", output, StringComparison.Ordinal);

        (code, output) = await TunneldAsync("invite", "create", "--name", "carol", "--expires", "soon");
        Assert.NotEqual(0, code);
        Assert.Contains("--expires 'soon'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromAnotherMachine_HubUrlAndApiKey_CreateInvitesAndRemoveTenants()
    {
        var key = (await File.ReadAllTextAsync(Path.Combine(_edge.DataDir, "operator.key"), Ct)).Trim();
        var elsewhere = Path.Combine(_dir, "elsewhere"); // no operator.key here: only --api-key can authenticate
        Task<(int ExitCode, string Output)> Remote(string apiKey, params string[] args) =>
            ProgramProcess.RunAsync(RepoPaths.Tunneld, [.. args, "--hub-url", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath, "--api-key", apiKey, "--data-dir", elsewhere]);

        var (code, output) = await Remote(key, "invite", "create", "--name", "dave", "--hostnames", "*.dave.test");
        Assert.True(code == 0, output);
        var token = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        Assert.StartsWith("tinv1_", token, StringComparison.Ordinal);

        (code, output) = await Remote("not-the-key", "invite", "list");
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("dave", output, StringComparison.Ordinal);

        (code, output) = await Remote(key, "invite", "list");
        Assert.True(code == 0, output);
        var tenantId = output.Split('\n').Single(l => l.Contains(" dave ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        (code, output) = await TunnelctlAsync(token, _edge.CaPath, "entry", "list");
        Assert.True(code == 0, output);

        (code, output) = await Remote(key, "tenant", "remove", "--tenant-id", tenantId);
        Assert.True(code == 0, output);
        (code, output) = await TunnelctlAsync(token, _edge.CaPath, "entry", "list");
        Assert.NotEqual(0, code);
        Assert.Contains("invalid invite token", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateToken_PrintsTheAskedNumberOfWellFormedDistinctTokens()
    {
        var (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunnelctl, ["generate-token", "-c", "5"]);

        Assert.True(code == 0, output);
        var tokens = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(5, tokens.Length);
        Assert.Equal(5, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.True(TunnelOperator.Agent.Forwards.ForwardToken.Check(t).IsValid, t));
        Assert.All(tokens, t => Assert.Matches("^i[A-Za-z0-9_.-]{17}$", t));
    }
}
