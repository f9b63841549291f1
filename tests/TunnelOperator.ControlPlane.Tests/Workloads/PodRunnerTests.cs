using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Workloads.Kubelet;

namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>The kubelet's side: environment, volumes, restarts and backoff, logs, graceful deletion, unsupported images.</summary>
public sealed class PodRunnerTests(WorkloadHarness harness) : IClassFixture<WorkloadHarness>
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private static JsonObject Pod(string name, string args, string image = WorkloadHarness.Image, string extra = "", string containerExtra = "")
    {
        var json = $$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","labels":{"tier":"web"}},
             "spec":{"terminationGracePeriodSeconds":5{{{extra}}},
               "containers":[{"name":"main","image":"{{{image}}}","command":["tunneld"],"args":{{{args}}}{{{containerExtra}}}}]}}
            """;
        return JsonNode.Parse(json)!.AsObject();
    }

    private static string Secret(string name, string data) =>
        $$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"{{name}}"},"data":{{data}}}""";

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    /// <summary>Follows a container's log until a line satisfies <paramref name="done"/> (the log itself is the signal).</summary>
    private async Task<string> FollowLogAsync(string pod, Func<string, bool> done, string query = "")
    {
        var text = new StringBuilder();
        await harness.WaitAsync($"{Pods}/{pod}", p => p?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"] is null && p?["status"]?["containerStatuses"] is not null, $"{pod} started");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        await using var stream = await harness.Plane.Api.StreamAsync($"{Pods}/{pod}/log?follow=true{query}", cts.Token);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            text.Append(line).Append('\n');
            if (done(line))
            {
                break;
            }
        }

        return text.ToString();
    }

    [Fact]
    public async Task Environment_ComesFromSecretsConfigMapsAndTheDownwardApi_WithVarExpansionAndMountedPaths()
    {
        Assert.Equal(201, (await harness.Api.PostAsync("/api/v1/namespaces/default/secrets", Secret("env-creds", $$"""{"token":"{{B64("s3cret")}}","user":"{{B64("ada")}}"}"""))).Code);
        Assert.Equal(201, (await harness.Api.PostAsync("/api/v1/namespaces/default/secrets", Secret("env-tls", $$"""{"tls.key":"{{B64("KEY")}}","tls.crt":"{{B64("CRT")}}"}"""))).Code);
        Assert.Equal(201, (await harness.Api.PostAsync("/api/v1/namespaces/default/configmaps",
            JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"env-settings"},"data":{"mode":"fast","level":"3"}}""")!)).Code);
        var pod = Pod("env", """["print", "$(GREETING) $(TOKEN)", "$$(GREETING)", "$(MISSING)", "/etc/tls/tls.key", "--cert=/etc/tls/tls.crt"]""",
            extra: """
                ,"volumes":[{"name":"tls","secret":{"secretName":"env-tls"}},{"name":"scratch","emptyDir":{}},
                            {"name":"cfg","configMap":{"name":"env-settings","items":[{"key":"mode","path":"conf/mode.txt"}]}}]
                """,
            containerExtra: """
                ,"env":[{"name":"GREETING","value":"hello"},
                        {"name":"TOKEN","valueFrom":{"secretKeyRef":{"name":"env-creds","key":"token"}}},
                        {"name":"MODE","valueFrom":{"configMapKeyRef":{"name":"env-settings","key":"mode"}}},
                        {"name":"ABSENT","valueFrom":{"secretKeyRef":{"name":"nope","key":"x","optional":true}}},
                        {"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                        {"name":"POD_NAMESPACE","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
                        {"name":"POD_UID","valueFrom":{"fieldRef":{"fieldPath":"metadata.uid"}}},
                        {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                        {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
                        {"name":"TIER","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['tier']"}}},
                        {"name":"COMBINED","value":"$(POD_NAME)@$(NODE)"},
                        {"name":"KEY_FILE","value":"/etc/tls/tls.key"}],
                 "envFrom":[{"prefix":"CM_","configMapRef":{"name":"env-settings"}},{"secretRef":{"name":"env-creds"}}],
                 "volumeMounts":[{"name":"tls","mountPath":"/etc/tls"},{"name":"scratch","mountPath":"/var/run/scratch"},{"name":"cfg","mountPath":"/etc/cfg"}]
                """);
        var created = await harness.Api.PostAsync(Pods, pod);
        Assert.Equal(201, created.Code);
        var uid = (string)created.Object["metadata"]!["uid"]!;

        var log = await FollowLogAsync("env", l => l == "printed");
        var running = await harness.WaitAsync($"{Pods}/env", p => p?["status"]?["podIP"] is not null, "pod IP");
        var ip = WorkloadHarness.PodIp(running!);
        var dir = harness.PodDirectory("default", "env");
        var lines = log.Split('\n');
        Assert.Contains("arg=hello s3cret", lines);
        Assert.Contains("arg=$(GREETING)", lines);
        Assert.Contains("arg=$(MISSING)", lines);
        Assert.Contains($"arg={dir}/mounts/etc/tls/tls.key", lines);
        Assert.Contains($"arg=--cert={dir}/mounts/etc/tls/tls.crt", lines);
        foreach (var expected in new[]
        {
            "env GREETING=hello", "env TOKEN=s3cret", "env MODE=fast", "env POD_NAME=env", "env POD_NAMESPACE=default", $"env POD_UID={uid}",
            $"env POD_IP={ip}", "env NODE=tunneld-local", "env TIER=web", "env COMBINED=env@tunneld-local", $"env KEY_FILE={dir}/mounts/etc/tls/tls.key",
            "env CM_mode=fast", "env CM_level=3", "env token=s3cret", "env user=ada", $"env HOME={dir}", "env HOSTNAME=env",
            $"env KUBERNETES_SERVICE_HOST=127.96.{harness.Subnet}.1", "env KUBERNETES_SERVICE_PORT=443",
            $"env TUNNELOP_HOSTS_FILE={harness.Plane.DataDirectory}/hosts",
        })
        {
            Assert.Contains(expected, lines);
        }

        Assert.DoesNotContain(lines, l => l.StartsWith("env ABSENT=", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("env KUBECONFIG=", StringComparison.Ordinal));

        Assert.Equal("KEY", await File.ReadAllTextAsync(Path.Combine(dir, "mounts/etc/tls/tls.key"), TestContext.Current.CancellationToken));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "volumes/tls/tls.key")));
        Assert.Equal("fast", await File.ReadAllTextAsync(Path.Combine(dir, "mounts/etc/cfg/conf/mode.txt"), TestContext.Current.CancellationToken));
        Assert.True(Directory.Exists(Path.Combine(dir, "mounts/var/run/scratch")));
    }

    [Fact]
    public async Task MissingSecret_HoldsTheContainerInCreateContainerConfigError_UntilItExists()
    {
        var pod = Pod("late", """["serve", "--http", "$(POD_IP):8080"]""", containerExtra: """
            ,"env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                    {"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"late-secret","key":"password"}}}],
             "readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":1}
            """);
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, pod)).Code);
        var waiting = await harness.WaitAsync($"{Pods}/late",
            p => (string?)p?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"] == "CreateContainerConfigError", "CreateContainerConfigError");
        Assert.Equal("secret \"late-secret\" not found", (string?)waiting!["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["message"]);
        Assert.Equal("Pending", (string?)waiting["status"]!["phase"]);

        Assert.Equal(201, (await harness.Api.PostAsync("/api/v1/namespaces/default/secrets", Secret("late-secret", $$"""{"password":"{{B64("pw")}}"}"""))).Code);
        var running = await harness.WaitAsync($"{Pods}/late", p => (string?)p?["status"]?["phase"] == "Running", "running once the secret exists");
        await harness.WaitAsync($"{Pods}/late", p => WorkloadHarness.IsReady(p), "ready");
        Assert.Equal("pw\n", await WorkloadHarness.HttpGetAsync(WorkloadHarness.PodIp(running!), 8080, "/env/PASSWORD"));
    }

    [Fact]
    public async Task CrashingContainer_RestartsWithBackoff_AndShowsCrashLoopBackOff()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, Pod("crasher", """["crash", "3"]"""))).Code);
        var pod = await harness.WaitAsync($"{Pods}/crasher", p =>
            (long?)p?["status"]?["containerStatuses"]?[0]?["restartCount"] >= 2
            && (string?)p?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"] == "CrashLoopBackOff", "CrashLoopBackOff after two restarts");
        var status = pod!["status"]!["containerStatuses"]![0]!;
        Assert.Equal(3, (long)status["lastState"]!["terminated"]!["exitCode"]!);
        Assert.Equal("Error", (string?)status["lastState"]!["terminated"]!["reason"]);
        Assert.StartsWith("back-off ", (string?)status["state"]!["waiting"]!["message"], StringComparison.Ordinal);
        Assert.False((bool)status["ready"]!);
        Assert.Equal("Running", (string?)pod["status"]!["phase"]);

        var current = await harness.Api.GetAsync($"{Pods}/crasher/log");
        Assert.Equal(200, current.Code);
        var previous = await harness.Plane.Api.GetTextAsync($"{Pods}/crasher/log?previous=true");
        Assert.Equal("crashing\n", previous);
        var events = await harness.Api.GetAsync("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dcrasher");
        Assert.Contains(events.Object["items"]!.AsArray(), e => (string?)e!["reason"] == "BackOff" && (string?)e["type"] == "Warning");
    }

    [Fact]
    public async Task ContainerThatSucceeds_WithRestartPolicyNever_LeavesThePodSucceeded()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, Pod("once", """["crash", "0"]""", extra: ""","restartPolicy":"Never" """))).Code);
        var pod = await harness.WaitAsync($"{Pods}/once", p => (string?)p?["status"]?["phase"] == "Succeeded", "Succeeded");
        Assert.Equal("Completed", (string?)pod!["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["reason"]);
        Assert.Equal(0, (long)pod["status"]!["containerStatuses"]![0]!["restartCount"]!);
    }

    [Fact]
    public async Task DeletingAPod_SendsSigtermAndRemovesTheObjectOnceTheProcessEnded()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, Pod("graceful", """["serve", "--http", "$(POD_IP):8080"]""", containerExtra: """
            ,"env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}]
            """))).Code);
        var ip = WorkloadHarness.PodIp((await harness.WaitAsync($"{Pods}/graceful", p => (string?)p?["status"]?["phase"] == "Running", "running"))!);
        var followed = FollowLogAsync("graceful", l => l == "terminating");
        await FollowLogAsync("graceful", l => l.StartsWith("listening", StringComparison.Ordinal));

        var deleted = await harness.Api.DeleteAsync($"{Pods}/graceful");
        Assert.Equal(200, deleted.Code);
        Assert.NotNull(deleted.Object["metadata"]!["deletionTimestamp"]);
        Assert.Equal(5, (long)deleted.Object["metadata"]!["deletionGracePeriodSeconds"]!);
        Assert.Contains("terminating", await followed, StringComparison.Ordinal);
        await harness.WaitAsync($"{Pods}/graceful", p => p is null, "pod gone");
        Assert.Null(await WorkloadHarness.HttpGetAsync(ip, 8080));
    }

    [Fact]
    public async Task FailingLivenessProbe_RestartsTheContainer()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, Pod("unwell", """["serve", "--http", "$(POD_IP):8080"]""", containerExtra: """
            ,"env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
             "ports":[{"name":"http","containerPort":8080}],
             "livenessProbe":{"httpGet":{"path":"/ready","port":"http"},"periodSeconds":1,"failureThreshold":2}
            """))).Code);
        var pod = await harness.WaitAsync($"{Pods}/unwell", p => (long?)p?["status"]?["containerStatuses"]?[0]?["restartCount"] >= 1, "a restart by the liveness probe");
        Assert.Equal(0, (long)pod!["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!["exitCode"]!);
        var events = await harness.WaitListAsync("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dunwell",
            e => e.Any(x => (string?)x["reason"] == "Killing"), "Killing event");
        Assert.Contains(events, e => (string?)e["reason"] == "Unhealthy" && ((string?)e["message"])!.StartsWith("Liveness probe failed: HTTP probe failed with statuscode: 503", StringComparison.Ordinal));
        Assert.Contains(events, e => (string?)e["message"] == "Container main failed liveness probe, will be restarted");
    }

    [Fact]
    public async Task InitContainersRunFirst_AndExecProbesRunThePrograms()
    {
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"staged"},
             "spec":{"terminationGracePeriodSeconds":5,
               "initContainers":[{"name":"setup","image":"IMAGE","command":["tunnelctl"],"args":["crash","0"]}],
               "containers":[{"name":"main","image":"IMAGE","command":["tunneld"],"args":["print"],
                 "readinessProbe":{"exec":{"command":["tunneld","crash","0"]},"periodSeconds":1}},
                             {"name":"side","image":"IMAGE","command":["tunneld"],"args":["print"],
                 "readinessProbe":{"exec":{"command":["tunneld","crash","1"]},"periodSeconds":1}}]}}
            """.Replace("IMAGE", WorkloadHarness.Image, StringComparison.Ordinal))!;
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, pod)).Code);
        var running = await harness.WaitAsync($"{Pods}/staged",
            p => (bool?)p?["status"]?["containerStatuses"]?[0]?["ready"] == true && (string?)p?["status"]?["phase"] == "Running", "main ready");
        var status = running!["status"]!;
        Assert.Equal("Completed", (string?)status["initContainerStatuses"]![0]!["state"]!["terminated"]!["reason"]);
        Assert.False((bool)status["containerStatuses"]![1]!["ready"]!);
        Assert.Contains(status["conditions"]!.AsArray(), c => (string?)c!["type"] == "Initialized" && (string?)c["status"] == "True");
        Assert.Contains(status["conditions"]!.AsArray(), c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "False"
            && (string?)c["message"] == "containers with unready status: [side]");
        Assert.Equal(400, (await harness.Api.GetAsync($"{Pods}/staged/log")).Code);
        Assert.Equal("crashing\n", await harness.Plane.Api.GetTextAsync($"{Pods}/staged/log?container=setup"));
    }

    [Fact]
    public async Task HttpsReadinessProbe_SkipsCertificateChecks_WithTheCertificateFromASecretVolume()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=nobody.invalid", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(201, (await harness.Api.PostAsync("/api/v1/namespaces/default/secrets",
            Secret("https-tls", $$"""{"tls.crt":"{{B64(certificate.ExportCertificatePem())}}","tls.key":"{{B64(key.ExportPkcs8PrivateKeyPem())}}"}"""))).Code);
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, Pod("secure", """["serve", "--http", "$(POD_IP):8443", "--tls-cert", "/etc/tls/tls.crt", "--tls-key=/etc/tls/tls.key"]""",
            extra: ""","volumes":[{"name":"tls","secret":{"secretName":"https-tls","defaultMode":420}}]""",
            containerExtra: """
                ,"env":[{"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
                 "volumeMounts":[{"name":"tls","mountPath":"/etc/tls","readOnly":true}],
                 "readinessProbe":{"httpGet":{"path":"/","port":8443,"scheme":"HTTPS"},"periodSeconds":1}
                """))).Code);
        await harness.WaitAsync($"{Pods}/secure", WorkloadHarness.IsReady, "ready over HTTPS");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(harness.PodDirectory("default", "secure"), "volumes/tls/tls.key")));
    }

    [Fact]
    public async Task TheBuiltTunneld_RunsAsAPod_FoundFromTheRepositoryRoot()
    {
        if (new ProgramResolver(new Dictionary<string, string> { ["tunneld"] = "bin/tunneld" }).Resolve("tunneld") is null)
        {
            Assert.Fail("bin/tunneld is not built: run make build (make test does it) first");
        }

        var pod = Pod("real", """["--version"]""", extra: ""","restartPolicy":"Never" """);
        pod["spec"]!["containers"]![0]!["command"] = new JsonArray("/usr/local/bin/built-tunneld");
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, pod)).Code);
        var done = await harness.WaitAsync($"{Pods}/real", p => (string?)p?["status"]?["phase"] is "Succeeded" or "Failed", "the program ended");
        Assert.Equal("Succeeded", (string?)done!["status"]!["phase"]);
        Assert.Matches(@"^\d+\.\d+", await harness.Plane.Api.GetTextAsync($"{Pods}/real/log"));
    }

    [Fact]
    public async Task UnsupportedImage_GetsAWarningEventAndStaysPending()
    {
        Assert.Equal(201, (await harness.Api.PostAsync(Pods, Pod("nginx", """["serve"]""", image: "nginx:1.27"))).Code);
        var events = await harness.WaitListAsync("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dnginx",
            e => e.Any(x => (string?)x["reason"] == "UnsupportedImage"), "UnsupportedImage event");
        var warning = events.First(x => (string?)x["reason"] == "UnsupportedImage");
        Assert.Equal("Warning", (string?)warning["type"]);
        Assert.Contains("\"nginx:1.27\"", (string?)warning["message"], StringComparison.Ordinal);
        Assert.Contains("ghcr.io/tunneloperator/tunneloperator", (string?)warning["message"], StringComparison.Ordinal);

        var pod = await harness.WaitAsync($"{Pods}/nginx",
            p => (string?)p?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"] == "UnsupportedImage", "UnsupportedImage status");
        Assert.Equal("Pending", (string?)pod!["status"]!["phase"]);
        Assert.False(WorkloadHarness.IsReady(pod));
        Assert.Null(pod["status"]!["podIP"]);
        Assert.Equal(400, (await harness.Api.GetAsync($"{Pods}/nginx/log")).Code);
    }
}
