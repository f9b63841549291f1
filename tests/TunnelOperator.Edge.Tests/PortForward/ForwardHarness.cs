namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>
/// An in-process edge with one user, and the real <c>bin/tunnelctl port-forward</c> programs
/// started against it on loopback, each with an empty HOME so no saved login leaks in.
/// </summary>
internal sealed class ForwardHarness : IAsyncDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("forward-home").FullName;

    private ForwardHarness(InProcessEdge edge, string token, string slug)
    {
        Edge = edge;
        Token = token;
        Slug = slug;
    }

    public InProcessEdge Edge { get; }

    /// <summary>The edge API token of the user both programs authenticate as.</summary>
    public string Token { get; }

    public string Slug { get; }

    public static async Task<ForwardHarness> StartAsync(string email)
    {
        var edge = await InProcessEdge.StartAsync();
        var (token, _, slug) = await edge.CreateUserAsync(email);
        return new ForwardHarness(edge, token, slug);
    }

    public string ServerId(string name) => $"{name}.{Slug}";

    public ProgramProcess StartServer(string name, params string[] args) =>
        Tunnelctl(["port-forward", "server", "--name", name, .. EdgeArgs(), .. args]);

    public ProgramProcess StartClient(string serverId, string source, int targetPort, string authToken, params string[] args) =>
        Tunnelctl(["port-forward", "client", "--server", serverId, "--source", source, "--target", $"127.0.0.1:{targetPort}", "--auth-token", authToken, .. EdgeArgs(), .. args]);

    public ProgramProcess Tunnelctl(IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var env = new Dictionary<string, string?> { ["HOME"] = _home, ["TUNNEL_TOKEN"] = null };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        return ProgramProcess.Start(RepoPaths.Tunnelctl, args, env);
    }

    /// <summary>Starts a server and waits until it has registered.</summary>
    public async Task<ProgramProcess> ServerReadyAsync(string name, params string[] args)
    {
        var server = StartServer(name, args);
        await server.WaitForLineAsync("tunnelctl port-forward server ready");
        return server;
    }

    /// <summary>Starts a client and waits until its start-up probe went through.</summary>
    public async Task<ProgramProcess> ClientReadyAsync(string serverId, string source, int targetPort, string authToken, params string[] args)
    {
        var client = StartClient(serverId, source, targetPort, authToken, args);
        await client.WaitForLineAsync("tunnelctl port-forward ready");
        return client;
    }

    private string[] EdgeArgs() => ["--endpoint", Edge.ControlEndpoint.ToString(), "--ca-cert", Edge.CaPath, "--token", Token];

    public async ValueTask DisposeAsync()
    {
        await Edge.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }
}
