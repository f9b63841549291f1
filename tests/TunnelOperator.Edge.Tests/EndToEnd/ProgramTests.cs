using System.Net;
using System.Security.Cryptography;

namespace TunnelOperator.Edge.Tests.EndToEnd;

/// <summary>The shipped programs, bin/tunneld and bin/tunnelctl, driven as a user would, with curl as the public client.</summary>
public sealed class ProgramTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("programs").FullName;
    private TunneldProcess _edge = null!;
    private OriginServer _origin = null!;

    private string Home => Path.Combine(_dir, "home");

    public async ValueTask InitializeAsync()
    {
        // Bodies up to 256 MiB, so the 200 MB upload below is within the limit.
        _edge = new TunneldProcess(Path.Combine(_dir, "edge"), ["--max-request-body-bytes", "268435456"]);
        await _edge.StartAsync();
        _origin = await OriginServer.StartAsync();
        Directory.CreateDirectory(Home);
    }

    public async ValueTask DisposeAsync()
    {
        await _origin.DisposeAsync();
        await _edge.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Dictionary<string, string?> ClientEnvironment(string? token = null) => new()
    {
        ["HOME"] = Home,
        ["TUNNEL_TOKEN"] = token,
    };

    private ProgramProcess StartTunnel(IEnumerable<string> args, Dictionary<string, string?>? environment = null) =>
        ProgramProcess.Start(RepoPaths.Tunnelctl, ["tunnel", .. args], environment ?? ClientEnvironment());

    [Fact]
    public async Task AdminCommands_CreateIssueListAndRevoke()
    {
        var (code, output) = await _edge.AdminAsync("create-user", "--email", "Alice.Smith+x@Example.com");
        Assert.Equal(0, code);
        Assert.Matches(@"slug alicesmithx-[0-9a-f]{4}", output);
        (code, output) = await _edge.AdminAsync("create-user", "--email", "alice.smith+x@example.com");
        Assert.NotEqual(0, code);
        Assert.Contains("already", output, StringComparison.OrdinalIgnoreCase);

        (code, output) = await _edge.AdminAsync("issue-token", "--email", "alice.smith+x@example.com", "--name", "laptop");
        Assert.Equal(0, code);
        var token = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Matches("^[a-z2-7]{52}$", token);

        (code, output) = await _edge.AdminAsync("list-users");
        Assert.Contains("alice.smith+x@example.com", output, StringComparison.Ordinal);
        (code, output) = await _edge.AdminAsync("list-tokens");
        Assert.Contains("laptop", output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        var id = output.Split('\n')[1].Split(' ')[0];

        (code, _) = await _edge.AdminAsync("revoke-token", "--id", id);
        Assert.Equal(0, code);
        (code, output) = await _edge.AdminAsync("revoke-token", "--id", id);
        Assert.NotEqual(0, code);
        Assert.Contains("no token", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://tnl.example.com")]
    [InlineData("tnl.example.com:443")]
    [InlineData("tnl.example.com/path")]
    [InlineData("-bad.example.com")]
    public async Task Serve_RefusesABaseHostThatIsNotADnsName_FromTheFlagOrTheEnvironment(string value)
    {
        var dataDir = Path.Combine(_dir, "bad-base-host");
        var (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunneld, ["serve", "--base-host", value, "--data-dir", dataDir]);
        Assert.Equal(2, code);
        Assert.Contains($"--base-host '{value}' is not a DNS name", output, StringComparison.Ordinal);

        (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunneld, ["serve", "--data-dir", dataDir], new Dictionary<string, string?> { ["TUNNELD_BASE_HOST"] = value });
        Assert.Equal(2, code);
        Assert.Contains($"--base-host '{value}' is not a DNS name", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NamesTheVariable_WhenATunneldVariableHasABadValue()
    {
        var (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunneld, ["serve", "--data-dir", Path.Combine(_dir, "bad-env")],
            new Dictionary<string, string?> { ["TUNNELD_MAX_CONCURRENT"] = "lots" });
        Assert.NotEqual(0, code);
        Assert.Contains("TUNNELD_MAX_CONCURRENT='lots' is not a valid value for --max-concurrent", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginThenTunnel_PrintsThreeLines_AndCurlReachesTheOrigin()
    {
        var token = await _edge.CreateUserWithTokenAsync("curl@example.com");
        var (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunnelctl,
            ["login", "--token", token, "--endpoint", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath], ClientEnvironment());
        Assert.True(code == 0, output);
        var config = Path.Combine(Home, ".tunnelctl", "config.yml");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));

        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString(), "--name", "curled"]);
        await tunnel.WaitForLineAsync("tunnelctl ready");
        var urlLine = await tunnel.WaitForLineAsync("public URL: ");
        var forwarding = await tunnel.WaitForLineAsync("forwarding to: ");
        Assert.Equal($"forwarding to: {_origin.Url}", forwarding);
        var url = urlLine["public URL: ".Length..];
        Assert.Matches(@"^https://curled-curl-[0-9a-f]{4}\.localhost:\d+/$", url);

        var (curlCode, body) = await ProgramProcess.RunAsync("curl", ["-sS", "--fail", "--cacert", _edge.CaPath, url + "echo?via=curl"]);
        Assert.True(curlCode == 0, body);
        Assert.Contains("\"target\":\"/echo?via=curl\"", body, StringComparison.Ordinal);

        // HTTP/2 from curl, too.
        (curlCode, body) = await ProgramProcess.RunAsync("curl", ["-sS", "--http2", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", _edge.CaPath, url + "echo"]);
        Assert.Equal("2", body.Trim());
    }

    [Fact]
    public async Task SecondClientOfOneName_IsToldAlreadyExists_AndTakeoverEvictsTheHolder()
    {
        var token = await _edge.CreateUserWithTokenAsync("takeover@example.com");
        string[] args = ["--url", _origin.Url.ToString(), "--name", "shared", "--endpoint", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath];
        await using var first = StartTunnel(args, ClientEnvironment(token));
        var url = await first.WaitForLineAsync("public URL: ");

        await using var second = StartTunnel(args, ClientEnvironment(token));
        await second.WaitForLineAsync("Error: AlreadyExists: tunnel 'shared' is already connected from another client");
        await second.WaitForLineAsync("retrying in");
        Assert.False(second.Exited.IsCompleted);
        await second.DisposeAsync();

        await using var third = StartTunnel([.. args, "--takeover"], ClientEnvironment(token));
        Assert.Equal(url, await third.WaitForLineAsync("public URL: "));
        await first.WaitForLineAsync("was taken over by another client");
        Assert.False(first.Exited.IsCompleted); // it retries, as the seed says
    }

    [Fact]
    public async Task InvalidToken_ExitsWithTheTroubleshootingText()
    {
        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString(), "--endpoint", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath, "--token", "wrong"]);
        var code = await tunnel.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, code);
        Assert.Contains("PermissionDenied: invalid token", tunnel.Output, StringComparison.Ordinal);
        Assert.Contains("tunnelctl login --token", tunnel.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableEndpoint_ExplainsAndKeepsRetrying()
    {
        var closed = $"https://localhost:{FreePort.Next()}";
        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString(), "--endpoint", closed, "--token", "whatever"]);
        await tunnel.WaitForLineAsync("Connection refused");
        await tunnel.WaitForLineAsync("curl -sv https://localhost:443");
        await tunnel.WaitForLineAsync("retrying in", skip: 1); // a second attempt: it keeps trying
        Assert.False(tunnel.Exited.IsCompleted);
    }

    [Fact]
    public async Task UntrustedEdgeCertificate_SaysToPassTheCa_AndAMissingCaFileIsFatal()
    {
        var token = await _edge.CreateUserWithTokenAsync("trust@example.com");
        await using var untrusted = StartTunnel(["--url", _origin.Url.ToString(), "--endpoint", _edge.ControlEndpoint, "--token", token]);
        await untrusted.WaitForLineAsync("TLS handshake failed");
        await untrusted.WaitForLineAsync("its certificate is not trusted here. If the edge generated its own CA, pass --ca-cert");
        Assert.False(untrusted.Exited.IsCompleted);

        var missing = Path.Combine(_dir, "no-such-ca.crt");
        await using var noCa = StartTunnel(["--url", _origin.Url.ToString(), "--endpoint", _edge.ControlEndpoint, "--token", token, "--ca-cert", missing]);
        Assert.Equal(2, await noCa.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Contains($"--ca-cert {missing}: cannot read a PEM certificate there", noCa.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", noCa.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginWithOnlyANewEndpoint_KeepsTheSavedToken()
    {
        var token = await _edge.CreateUserWithTokenAsync("switch@example.com");
        var env = ClientEnvironment();
        var (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunnelctl, ["login", "--endpoint", _edge.ControlEndpoint], env);
        Assert.Equal(2, code);
        Assert.Contains("no token saved yet: pass --token", output, StringComparison.Ordinal);

        (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunnelctl, ["login", "--token", token, "--endpoint", "https://localhost:1", "--ca-cert", _edge.CaPath], env);
        Assert.True(code == 0, output);
        (code, output) = await ProgramProcess.RunAsync(RepoPaths.Tunnelctl, ["login", "--endpoint", _edge.ControlEndpoint], env);
        Assert.True(code == 0, output);

        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString()], env);
        await tunnel.WaitForLineAsync("tunnelctl ready");
    }

    [Fact]
    public async Task EdgeRestart_SigtermStopsIt_AndTheAgentReconnectsToTheSameUrl()
    {
        var token = await _edge.CreateUserWithTokenAsync("restart@example.com");
        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString(), "--name", "sticky", "--endpoint", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath], ClientEnvironment(token));
        var first = await tunnel.WaitForLineAsync("public URL: ");

        _edge.Process!.Signal(15);
        var exit = await _edge.Process.Exited.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        await tunnel.WaitForLineAsync("retrying in");

        await _edge.StartAsync();
        var second = await tunnel.WaitForLineAsync("public URL: ", TimeSpan.FromSeconds(90), skip: 1);
        Assert.Equal(first, second);
        var (curlCode, body) = await ProgramProcess.RunAsync("curl", ["-sS", "--fail", "--cacert", _edge.CaPath, first["public URL: ".Length..] + "echo"]);
        Assert.True(curlCode == 0, body);
    }

    [Fact]
    public async Task SigtermWithRequestsInFlight_CancelsThemAndExits()
    {
        var token = await _edge.CreateUserWithTokenAsync("inflight@example.com");
        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString(), "--endpoint", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath], ClientEnvironment(token));
        var url = (await tunnel.WaitForLineAsync("public URL: "))["public URL: ".Length..];
        using var client = EdgeHttp.Create(_edge.HttpsPort, _edge.CaPath);
        var held = client.GetAsync(new Uri(new Uri(url), "/hold"), TestContext.Current.CancellationToken);
        await _origin.Held.Reader.ReadAsync(TestContext.Current.CancellationToken);

        _edge.Process!.Signal(15);
        Assert.Equal(0, await _edge.Process.Exited.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
        await _origin.Aborted.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        try
        {
            var response = await held;
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // the connection was closed: equally a cancelled request
        }
    }

    [Fact]
    public async Task TwoHundredMegabytesEachWay_StreamWithBoundedMemory()
    {
        const long size = 200L * 1024 * 1024;
        var token = await _edge.CreateUserWithTokenAsync("bulk@example.com");
        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString(), "--endpoint", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath], ClientEnvironment(token));
        var url = new Uri((await tunnel.WaitForLineAsync("public URL: "))["public URL: ".Length..]);
        using var client = EdgeHttp.Create(_edge.HttpsPort, _edge.CaPath);

        // Upload: generated on the fly, hashed on both sides.
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var upload = await client.PostAsync(new Uri(url, "/sink"), new GeneratedContent(size, sha), TestContext.Current.CancellationToken);
        var report = OriginServer.ParseJson(await upload.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(size, report.GetProperty("length").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(sha.GetHashAndReset()), report.GetProperty("sha256").GetString());

        // Download: counted as it streams, never held whole.
        using var download = await client.GetAsync(new Uri(url, $"/bytes/{size}"), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        await using var body = await download.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[256 * 1024];
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            received += read;
        }

        Assert.Equal(size, received);
        var edgePeak = _edge.Process!.PeakRssBytes();
        var agentPeak = tunnel.PeakRssBytes();
        // Well below the 200 MB moved each way: bodies were streamed, not buffered.
        Assert.True(edgePeak < 160L * 1024 * 1024, $"edge peak RSS {edgePeak / (1024 * 1024)} MiB");
        Assert.True(agentPeak < 160L * 1024 * 1024, $"agent peak RSS {agentPeak / (1024 * 1024)} MiB");
    }

    [Fact]
    public async Task TunnelLogDebug_RaisesTheAgentsVerbosity()
    {
        var token = await _edge.CreateUserWithTokenAsync("debug@example.com");
        var environment = ClientEnvironment(token);
        environment["TUNNEL_LOG"] = "debug";
        await using var tunnel = StartTunnel(["--url", _origin.Url.ToString(), "--endpoint", _edge.ControlEndpoint, "--ca-cert", _edge.CaPath], environment);
        var url = (await tunnel.WaitForLineAsync("public URL: "))["public URL: ".Length..];
        var (curlCode, _) = await ProgramProcess.RunAsync("curl", ["-sS", "--cacert", _edge.CaPath, url + "echo"]);
        Assert.Equal(0, curlCode);
        await tunnel.WaitForLineAsync("dbug:");
    }

    /// <summary>A request body produced as it is sent, hashed as it goes.</summary>
    private sealed class GeneratedContent(long size, IncrementalHash hash) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var block = new byte[128 * 1024];
            var random = new Random(7);
            for (long sent = 0; sent < size; sent += block.Length)
            {
                random.NextBytes(block);
                var n = (int)Math.Min(block.Length, size - sent);
                hash.AppendData(block, 0, n);
                await stream.WriteAsync(block.AsMemory(0, n));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return true;
        }
    }
}
