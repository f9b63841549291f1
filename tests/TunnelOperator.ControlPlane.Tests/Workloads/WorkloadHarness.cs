using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Tests.Server;
using TunnelOperator.ControlPlane.Workloads;
using TunnelOperator.Testing;

namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>
/// A control plane with the workload runner, on loopback ranges of its own (so test classes running in
/// parallel never share an address): pods in 127.244.N.0/24, services in 127.96.N.0/24, the node at
/// 127.98.N.1, load balancers at 127.97.N.1. The suite's programs are <see cref="FakeSuiteProgram"/>; crash
/// backoff is short. Disposing checks that no process of its pods survived.
/// </summary>
public sealed class WorkloadHarness : IAsyncLifetime
{
    public const string Image = "ghcr.io/tunneloperator/tunneloperator:test";
    private static int _next = Random.Shared.Next(0, 200);

    public WorkloadHarness()
    {
        Subnet = (Interlocked.Increment(ref _next) % 250) + 1;
        ProgramPath = FakeSuiteProgram.Install(Path.Combine(Path.GetTempPath(), "tunneld-fake-" + Guid.NewGuid().ToString("n")));
        Plane = new ControlPlaneHarness(o => o with
        {
            RunWorkloads = true,
            ServiceCidr = $"127.96.{Subnet}.0/24",
            Workloads = new WorkloadRunnerOptions
            {
                PodCidr = $"127.244.{Subnet}.0/24",
                NodeAddress = NodeAddress,
                LoadBalancerAddress = LoadBalancerAddress,
                // "built-tunneld" is the real program, resolved the default way (from the repository root).
                Programs = new Dictionary<string, string> { ["tunneld"] = ProgramPath, ["tunnelctl"] = ProgramPath, ["built-tunneld"] = "bin/tunneld" },
                BackoffInitial = TimeSpan.FromMilliseconds(300),
                BackoffMax = TimeSpan.FromMilliseconds(1200),
                ShutdownGracePeriod = TimeSpan.FromSeconds(3),
            },
        });
    }

    public int Subnet { get; }

    public string ProgramPath { get; }

    public string NodeAddress => $"127.98.{Subnet}.1";

    public string LoadBalancerAddress => $"127.97.{Subnet}.1";

    public string PodCidrPrefix => $"127.244.{Subnet}.";

    public ControlPlaneHarness Plane { get; }

    internal ApiClient Api => Plane.Api;

    public async ValueTask InitializeAsync() => await Plane.InitializeAsync();

    /// <summary>Where a Pod's directory is (its processes' HOME and working directory).</summary>
    public string PodDirectory(string ns, string name) => Path.Combine(Plane.DataDirectory, "pods", $"{ns}_{name}");

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the object at <paramref name="path"/> (null: absent),
    /// checking again at each committed change rather than on a timer.
    /// </summary>
    internal async Task<JsonObject?> WaitAsync(string path, Func<JsonObject?, bool> condition, string what, int seconds = 30)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        using var done = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var changes = Plane.Plane.WatchAsync(done.Token).GetAsyncEnumerator(done.Token);
        var next = changes.MoveNextAsync();
        JsonObject? last = null;
        try
        {
            while (true)
            {
                var response = await Api.GetAsync(path);
                last = response.Code == 200 ? response.Object : null;
                if (condition(last))
                {
                    return last;
                }

                await next;
                next = changes.MoveNextAsync();
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"timed out waiting for {what}; last: {last?.ToJsonString()}");
        }
        finally
        {
            // The change feed's enumerator may only be disposed once its pending MoveNextAsync has ended.
            await done.CancelAsync();
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
            }

            await changes.DisposeAsync();
        }
    }

    /// <summary>Waits for the items of a list to satisfy <paramref name="condition"/>.</summary>
    internal async Task<List<JsonObject>> WaitListAsync(string path, Func<List<JsonObject>, bool> condition, string what, int seconds = 30)
    {
        List<JsonObject> items = [];
        await WaitAsync(path, list =>
        {
            items = [.. (list?["items"] as JsonArray ?? []).OfType<JsonObject>()];
            return condition(items);
        }, what, seconds);
        return items;
    }

    public static bool IsReady(JsonObject? pod) =>
        (pod?["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True");

    public static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;

    public static string PodIp(JsonObject pod) => (string)pod["status"]!["podIP"]!;

    /// <summary>A GET over plain HTTP to a loopback address (pods, services), or null when nothing answers there.</summary>
    public static async Task<string?> HttpGetAsync(string host, int port, string path = "/")
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await http.GetStringAsync(new Uri($"http://{host}:{port}{path}"), TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (SocketException)
        {
            // A proxy with no ready backend may reset the connection right after accepting it;
            // SocketsHttpHandler then reads the remote address of a dead socket and throws this
            // unwrapped. Either way there was no answer.
            return null;
        }
    }

    /// <summary>One UDP request and its answer.</summary>
    public static async Task<string> UdpAskAsync(string host, int port, string message)
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Parse(host), port);
        await udp.SendAsync(System.Text.Encoding.UTF8.GetBytes(message), TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(5));
        var reply = await udp.ReceiveAsync(cts.Token);
        return System.Text.Encoding.UTF8.GetString(reply.Buffer);
    }

    /// <summary>A Deployment of the fake suite program serving HTTP on $(POD_IP):8080 (and UDP on :5353), ready once it listens.</summary>
    public static JsonObject Deployment(string name, int replicas, string app, string extraArgs = "", string readinessPath = "")
    {
        var args = new JsonArray("serve", "--http", "$(POD_IP):8080", "--udp", "$(POD_IP):5353");
        foreach (var a in extraArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            args.Add(a);
        }

        var readiness = readinessPath.Length > 0
            ? new JsonObject { ["httpGet"] = new JsonObject { ["path"] = readinessPath, ["port"] = "http" }, ["periodSeconds"] = 1, ["failureThreshold"] = 1 }
            : new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 8080 }, ["periodSeconds"] = 1 };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app } },
                    ["spec"] = new JsonObject
                    {
                        ["terminationGracePeriodSeconds"] = 5,
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "server",
                            ["image"] = Image,
                            ["command"] = new JsonArray("tunneld"),
                            ["args"] = args,
                            ["env"] = new JsonArray(new JsonObject
                            {
                                ["name"] = "POD_IP",
                                ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "status.podIP" } },
                            }),
                            ["ports"] = new JsonArray(
                                new JsonObject { ["name"] = "http", ["containerPort"] = 8080 },
                                new JsonObject { ["name"] = "dns", ["containerPort"] = 5353, ["protocol"] = "UDP" }),
                            ["readinessProbe"] = readiness,
                        }),
                    },
                },
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        var dataDirectory = Plane.DataDirectory;
        await Plane.Plane.StopAsync();
        var strays = StrayProcesses(dataDirectory);
        var described = strays.Select(pid => $"{pid} {Describe(pid)}").ToList();
        foreach (var pid in strays)
        {
            try
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
        }

        await Plane.DisposeAsync();
        try
        {
            Directory.Delete(Path.GetDirectoryName(ProgramPath)!, recursive: true);
        }
        catch (IOException)
        {
        }

        Assert.True(strays.Count == 0, $"processes of stopped pods survived: {string.Join("; ", described)}");
    }

    private static string Describe(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            var state = File.ReadAllText($"/proc/{pid}/stat");
            return $"{cmdline} [{state[(state.LastIndexOf(')') + 2)..].Split(' ')[0]}] cwd {new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget}";
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    /// <summary>Processes whose working directory is inside the data directory (every pod process's is).</summary>
    public static List<int> StrayProcesses(string dataDirectory)
    {
        var strays = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget;
                if (cwd is not null && cwd.StartsWith(dataDirectory, StringComparison.Ordinal))
                {
                    strays.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return strays;
    }
}
