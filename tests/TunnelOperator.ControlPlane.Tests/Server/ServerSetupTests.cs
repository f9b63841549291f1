using System.Net;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>Authentication, the files the control plane writes, discovery, persistence across restarts.</summary>
public sealed class ServerSetupTests : IAsyncLifetime
{
    private readonly ControlPlaneHarness _harness = new();

    public ValueTask InitializeAsync() => _harness.InitializeAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Anonymous_IsRefusedExceptHealthAndVersion()
    {
        using var anonymous = new ApiClient(_harness.Plane.Url, _harness.Plane.CaCertificate, null);
        var refused = await anonymous.GetAsync("/api/v1/namespaces");
        Assert.Equal(401, refused.Code);
        Assert.Equal("Unauthorized", refused.Reason);
        foreach (var open in new[] { "/healthz", "/livez", "/readyz", "/version" })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(open)).Status);
        }

        Assert.Equal("v1.33.0-tunneld", (await anonymous.GetAsync("/version")).Object["gitVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task BearerToken_FromTokensFile_Authenticates()
    {
        await File.WriteAllTextAsync(Path.Combine(_harness.DataDirectory, "tokens.csv"), "s3cret-token,alice,1001,\"dev,ops\"\n", TestContext.Current.CancellationToken);
        using var alice = new ApiClient(_harness.Plane.Url, _harness.Plane.CaCertificate, null, bearerToken: "s3cret-token");
        Assert.Equal(200, (await alice.GetAsync("/api/v1/namespaces")).Code);
        using var mallory = new ApiClient(_harness.Plane.Url, _harness.Plane.CaCertificate, null, bearerToken: "guess");
        Assert.Equal(401, (await mallory.GetAsync("/api/v1/namespaces")).Code);
    }

    [Fact]
    public async Task ClientCertificate_FromAnotherCa_IsRefused()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=intruder, O=system:masters", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var intruder = new ApiClient(_harness.Plane.Url, _harness.Plane.CaCertificate, selfSigned);
        Assert.Equal(401, (await intruder.GetAsync("/api/v1/namespaces")).Code);
    }

    [Fact]
    public void Kubeconfig_IsOwnerOnlyAndNamesTheContext()
    {
        var text = File.ReadAllText(_harness.Plane.KubeconfigPath);
        Assert.Contains("current-context: tunneld-local", text, StringComparison.Ordinal);
        Assert.Contains("client-certificate-data:", text, StringComparison.Ordinal);
        Assert.Contains($"server: {_harness.Plane.Url.ToString().TrimEnd('/')}", text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_harness.Plane.KubeconfigPath));
        }
    }

    [Fact]
    public async Task Discovery_AggregatedAndLegacy()
    {
        var groups = await _harness.Api.GetAsync("/apis");
        Assert.Equal("APIGroupList", groups.Object["kind"]!.GetValue<string>());
        var aggregated = await _harness.Api.GetAsync("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        Assert.Equal("APIGroupDiscoveryList", aggregated.Object["kind"]!.GetValue<string>());
        Assert.StartsWith("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", aggregated.ContentType.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var core = await _harness.Api.GetAsync("/api/v1");
        var pods = core.Object["resources"]!.AsArray().First(r => r!["name"]!.GetValue<string>() == "pods")!;
        Assert.Equal("all", pods["categories"]![0]!.GetValue<string>());
        Assert.Equal("po", pods["shortNames"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiV2_Protobuf_IsNotAcceptable()
    {
        var response = await _harness.Api.GetAsync("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        Assert.Equal(406, response.Code);
    }

    [Fact]
    public async Task Objects_SurviveRestart_AndOldWatchesExpire()
    {
        var created = await _harness.Api.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("persisted", data: """{"k":"v"}"""));
        await _harness.RestartAsync();
        var got = await _harness.Api.GetAsync("/api/v1/namespaces/default/configmaps/persisted");
        Assert.Equal(200, got.Code);
        Assert.Equal(created.Object["metadata"]!["uid"]!.GetValue<string>(), got.Object["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(created.ResourceVersion, got.ResourceVersion);

        var next = await _harness.Api.PostAsync("/api/v1/namespaces/default/configmaps", Objects.ConfigMap("after-restart"));
        Assert.True(long.Parse(next.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(created.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));

        // The event log starts empty after a restart: versions before it are gone (clients relist), later ones are watchable.
        var before = long.Parse(created.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) - 1;
        using var expired = await _harness.Api.WatchAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={before}");
        Assert.Equal("ERROR", (await expired.NextAsync())!.Value.Type);
        using var current = await _harness.Api.WatchAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={created.ResourceVersion}");
        Assert.Equal("after-restart", (await current.NextAsync())!.Value.Object["metadata"]!["name"]!.GetValue<string>());
    }
}
