using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Edge.Hosting;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Edge.Tests.Support;

/// <summary>
/// An edge hosted in the test process on real loopback sockets (every listener on port 0),
/// with its own data directory and SQLite store.
/// </summary>
internal sealed class InProcessEdge : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly ILoggerFactory _loggerFactory;

    private InProcessEdge(EdgeServer server, string dataDir, ILoggerFactory loggerFactory)
    {
        Server = server;
        _dataDir = dataDir;
        _loggerFactory = loggerFactory;
    }

    public EdgeServer Server { get; }
    public string CaPath => Server.CaCertificatePath!;
    public int HttpsPort => Server.HttpsEndPoint!.Port;
    public int HttpPort => Server.HttpEndPoint!.Port;
    public Uri ControlEndpoint => new($"https://localhost:{Server.ControlEndPoint!.Port}");
    public Uri HttpsEndpoint => new($"https://localhost:{HttpsPort}");
    public Uri AdminUrl => new($"http://127.0.0.1:{Server.AdminEndPoint!.Port}");

    public static async Task<InProcessEdge> StartAsync(Func<EdgeOptions, EdgeOptions>? configure = null, string? databaseUrl = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("edge-test").FullName;
        var options = new EdgeOptions
        {
            BaseHost = "localhost",
            HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            HttpsEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ControlEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            AdminEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            DataDirectory = dataDir,
            DatabaseUrl = databaseUrl,
            HelloTimeout = TimeSpan.FromSeconds(5),
        };
        options = configure?.Invoke(options) ?? options;
        var loggerFactory = Environment.GetEnvironmentVariable("TEST_LOG") is "debug"
            ? LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug))
            : NullLoggerFactory.Instance;
        var server = await EdgeServer.StartAsync(options, loggerFactory);
        return new InProcessEdge(server, dataDir, loggerFactory);
    }

    /// <summary>Creates a user and returns a fresh token for it.</summary>
    public async Task<(string Token, Guid TokenId, string Slug)> CreateUserAsync(string email)
    {
        var store = Server.Services.Store;
        var user = await store.FindUserByEmailAsync(email) ?? (await store.CreateUserAsync(email)).Value!;
        var issued = await store.IssueTokenAsync(email, "test");
        Assert.True(issued.Ok, issued.Message);
        return (issued.Value!.Plaintext, issued.Value.Id, user.Slug);
    }

    public HttpClient PublicClient(Version? version = null) => EdgeHttp.Create(HttpsPort, CaPath, version);

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = AdminUrl };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.AdminToken);
        return client;
    }

    public AgentHandle StartAgent(string token, Uri target, string? name = null, bool takeover = false, Uri? endpoint = null, Backoff? backoff = null)
    {
        var options = new TunnelClientOptions
        {
            Endpoint = endpoint ?? ControlEndpoint,
            Token = token,
            Target = target,
            Name = name,
            Takeover = takeover,
            CaCertificatePath = CaPath,
            ClientVersion = "test-agent",
        };
        return new AgentHandle(new TunnelAgent(options, _loggerFactory), backoff ?? new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A reconnecting agent running in the background, with its events as channels.</summary>
internal sealed class AgentHandle : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public AgentHandle(TunnelAgent agent, Backoff backoff)
    {
        var loop = new ReconnectingAgent(agent, backoff: backoff);
        loop.Retrying += (outcome, _) => Failures.Writer.TryWrite(outcome);
        Completion = Task.Run(() => loop.RunAsync(opened => Opened.Writer.TryWrite(opened), _stop.Token));
    }

    /// <summary>Each successful open (the first, and each after a reconnect).</summary>
    public Channel<TunnelOpened> Opened { get; } = Channel.CreateUnbounded<TunnelOpened>();

    /// <summary>Each failed or lost attempt before a retry.</summary>
    public Channel<AgentOutcome> Failures { get; } = Channel.CreateUnbounded<AgentOutcome>();

    /// <summary>The loop's end: a fatal refusal, or Stopped after dispose.</summary>
    public Task<AgentOutcome> Completion { get; }

    public async Task<TunnelOpened> NextOpenedAsync(TimeSpan? timeout = null) =>
        await Opened.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(20));

    public async Task<AgentOutcome> NextFailureAsync(TimeSpan? timeout = null) =>
        await Failures.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Completion.WaitAsync(TimeSpan.FromSeconds(20));
        _stop.Dispose();
    }
}
