using System.Text.Json.Nodes;
using TunnelOperator.Crds.Tests.Support;

namespace TunnelOperator.Crds.Tests.Kinds;

/// <summary>
/// The real kubectl installs the manifests into our local control plane, applies the samples,
/// and gets them back defaulted and printed with the declared columns; the server refuses an
/// object the schema forbids. CEL rules are not evaluated there (the operator checks them).
/// </summary>
public sealed class LocalControlPlaneTests(ControlPlaneFixture controlPlane) : IClassFixture<ControlPlaneFixture>
{
    private static readonly string Bases = Path.Combine(RepoPaths.Root, "config", "crd", "bases");

    [Fact]
    public async Task Kubectl_AppliesTheManifestsAndSamples_AndReadsThemBackDefaulted()
    {
        await InstallAsync();

        var (code, output, error) = await controlPlane.KubectlAsync("apply", "-n", "default", "-k", RepoPaths.Samples);
        Assert.True(code == 0, error);
        Assert.Contains("tunnel.tunneloperator.io/web", output, StringComparison.Ordinal);

        var tunnel = JsonNode.Parse(await RunAsync("get", "tun", "web", "-n", "default", "-o", "json"))!;
        Assert.False(tunnel["spec"]!["takeover"]!.GetValue<bool>());
        Assert.Equal("http", tunnel["spec"]!["protocol"]!.GetValue<string>());

        var edge = JsonNode.Parse(await RunAsync("get", "edge", "edge", "-n", "default", "-o", "json"))!;
        Assert.Equal(7777, edge["spec"]!["ports"]!["control"]!.GetValue<int>());
        Assert.Equal("selfSigned", edge["spec"]!["tls"]!["mode"]!.GetValue<string>());
        Assert.Equal("LoadBalancer", edge["spec"]!["service"]!["type"]!.GetValue<string>());
        Assert.Equal(256, edge["spec"]!["maxConcurrentRequests"]!.GetValue<int>());
    }

    [Fact]
    public async Task Kubectl_PrintsTheDeclaredColumns()
    {
        await InstallAsync();
        await RunAsync("apply", "-n", "default", "-f", Path.Combine(RepoPaths.Samples, "tunneloperator.io_v1alpha1_tunnel.yaml"));

        var table = await RunAsync("get", "tunnels", "-n", "default");
        var wide = await RunAsync("get", "tunnels", "-n", "default", "-o", "wide");

        Assert.Matches(@"^NAME\s+URL\s+READY\s+REASON\s+AGE\n", table);
        Assert.Matches(@"^NAME\s+URL\s+READY\s+REASON\s+EDGE\s+PROTOCOL\s+AGE\n", wide);
        Assert.Matches(@"\nweb\s+.*\sedge\s+http\s", wide);
    }

    [Fact]
    public async Task Kubectl_ExplainsFieldsWithTheirDescriptions()
    {
        await InstallAsync();

        var explained = await RunAsync("explain", "tunnels.spec.target");

        Assert.Contains("exactly one of service or url", explained, StringComparison.Ordinal);
        Assert.Contains("url", explained, StringComparison.Ordinal);
        Assert.Contains("service", explained, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_RefusesAnObjectTheSchemaForbids()
    {
        await InstallAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("crds-invalid-").FullName, "tunnel.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: tunneloperator.io/v1alpha1
            kind: Tunnel
            metadata:
              name: bad
            spec:
              edgeRef:
                name: edge
              target:
                url: ftp://files
              protocol: quic
              agent:
                replicas: 11
            """, TestContext.Current.CancellationToken);

        var (code, _, error) = await controlPlane.KubectlAsync("apply", "-n", "default", "-f", file);

        Assert.NotEqual(0, code);
        Assert.Contains("spec.protocol", error, StringComparison.Ordinal);
        Assert.Contains("spec.target.url", error, StringComparison.Ordinal);
        Assert.Contains("spec.agent.replicas", error, StringComparison.Ordinal);
    }

    private async Task InstallAsync()
    {
        await RunAsync("apply", "-k", Path.GetDirectoryName(Bases)!);
        foreach (var (fileName, _) in CrdManifests.GenerateAll())
        {
            var name = fileName["tunneloperator.io_".Length..^".yaml".Length] + ".tunneloperator.io";
            await RunAsync("wait", "--for=condition=Established", "--timeout=30s", $"crd/{name}");
        }
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var (code, output, error) = await controlPlane.KubectlAsync(arguments);
        Assert.True(code == 0, $"kubectl {string.Join(' ', arguments)} exited {code}: {error}");
        return output;
    }
}
