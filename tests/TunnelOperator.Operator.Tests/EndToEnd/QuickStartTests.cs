using TunnelOperator.Operator.Tests.Support;
using TunnelOperator.Testing;

namespace TunnelOperator.Operator.Tests.EndToEnd;

/// <summary>
/// The README's quick start, as a newcomer types it: <c>make run</c> (which runs <c>bin/tunneld local</c>),
/// then <c>kubectl apply -f config/samples/</c>, <c>kubectl get tunnels</c> with a URL, and curl of that URL
/// reaching the sample echo origin. Everything is the real program: the control plane, its workload
/// runner starting bin/tunneld and bin/tunnelctl as pods, and the in-process operator. Only the
/// loopback ranges differ from the defaults, so this run never collides with a developer's own
/// <c>make run</c> or with the other tests' control planes.
/// </summary>
public sealed class QuickStartTests : IAsyncLifetime
{
    private const string LoadBalancer = "127.82.0.1";

    private readonly string _directory = Directory.CreateTempSubdirectory("quickstart-").FullName;
    private ProgramProcess? _local;

    private string Kubeconfig => Path.Combine(_directory, "kubeconfig");

    public ValueTask InitializeAsync()
    {
        if (KubectlRunner.Unavailable(OperatorFixture.Kubectl133) is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        _ = RepoPaths.Tunneld; // fail early and clearly when bin/ was not built
        _ = RepoPaths.Tunnelctl;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TunneldLocal_ThenApplySamples_GetTunnelsShowsAUrl_CurlReachesTheEchoOrigin_SigtermCleansUp()
    {
        var ct = TestContext.Current.CancellationToken;
        _local = ProgramProcess.Start(RepoPaths.Tunneld,
        [
            "local", "--data-dir", Path.Combine(_directory, "control-plane"), "--kubeconfig", Kubeconfig,
            "--addr", $"127.0.0.1:{FreePort.Next()}", "--metrics-addr", $"127.0.0.1:{FreePort.Next()}", "--health-addr", $"127.0.0.1:{FreePort.Next()}",
            "--service-cidr", "127.80.0.0/16", "--pod-cidr", "127.81.0.0/16", "--load-balancer-address", LoadBalancer,
        ]);
        await _local.WaitForLineAsync("tunneld local ready", TimeSpan.FromSeconds(90));
        // What it prints next is the quick start itself.
        await _local.WaitForLineAsync($"kubectl --kubeconfig {Kubeconfig} apply -f config/samples/");

        var kubectl = new KubectlRunner(OperatorFixture.Kubectl133, Kubeconfig);
        var applied = await Checked(kubectl, "apply", "-f", Path.Combine(RepoPaths.Root, "config", "samples") + "/");
        Assert.Contains("tunnel.tunneloperator.io/web created", applied, StringComparison.Ordinal);
        Assert.Contains("edgenode.tunneloperator.io/edge created", applied, StringComparison.Ordinal);

        await Checked(kubectl, "wait", "--for=condition=Ready", "tunnel/web", "--timeout=180s");
        var table = (await Checked(kubectl, "get", "tunnels")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "URL", "READY", "REASON", "AGE"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("web", row[0]);
        Assert.Matches(@"^https://[a-z0-9-]+\.tunnels\.localhost:8443/$", row[1]);
        Assert.Equal(("True", "AgentConnected"), (row[2], row[3]));

        // curl that URL, trusting only the CA the operator generated for the sample edge. The name
        // resolves to 127.0.0.1 (*.localhost); this run's LoadBalancer listens on its own address.
        var ca = Path.Combine(_directory, "edge-ca.crt");
        var caBase64 = await Checked(kubectl, "get", "secret", "edge-ca", "-o", "jsonpath={.data.ca\\.crt}");
        await File.WriteAllBytesAsync(ca, Convert.FromBase64String(caBase64.Trim()), ct);
        var curl = new[] { "-sS", "--max-time", "10", "--cacert", ca, "--connect-to", $"::{LoadBalancer}:", row[1] + "quickstart?from=readme" };
        var (exit, body) = await ProgramProcess.RunAsync("curl", curl);
        Assert.True(exit == 0, body);
        Assert.Contains("\"path\": \"/quickstart\"", body, StringComparison.Ordinal);
        Assert.Contains("\"query\": \"?from=readme\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"Host\": \"{new Uri(row[1]).Authority}\"", body, StringComparison.Ordinal);

        // Ctrl-C / SIGTERM stops everything it started: the pods' processes, hence the edge's listener.
        _local.Signal(15);
        Assert.Equal(0, await _local.Exited.WaitAsync(TimeSpan.FromSeconds(60), ct));
        var (after, refused) = await ProgramProcess.RunAsync("curl", curl);
        Assert.True(after == 7, $"curl after shutdown exited {after}, expected 7 (could not connect): {refused}");
    }

    private static async Task<string> Checked(KubectlRunner kubectl, params string[] arguments)
    {
        var result = await kubectl.RunAsync(arguments, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput;
    }
}
