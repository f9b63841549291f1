namespace TunnelOperator.Edge.Tests.Support;

/// <summary>A real <c>bin/tunneld serve</c> on fixed loopback ports, restartable on the same ports and data.</summary>
internal sealed class TunneldProcess : IAsyncDisposable
{
    private readonly List<string> _extraArgs;

    public TunneldProcess(string dataDir, IEnumerable<string>? extraArgs = null)
    {
        DataDir = dataDir;
        _extraArgs = [.. extraArgs ?? []];
    }

    public string DataDir { get; }
    public int HttpPort { get; } = FreePort.Next();
    public int HttpsPort { get; } = FreePort.Next();
    public int ControlPort { get; } = FreePort.Next();
    public int AdminPort { get; } = FreePort.Next();
    public ProgramProcess? Process { get; private set; }
    public string CaPath => Path.Combine(DataDir, "ca.crt");
    public string ControlEndpoint => $"https://localhost:{ControlPort}";

    public async Task StartAsync()
    {
        Process = ProgramProcess.Start(RepoPaths.Tunneld,
        [
            "serve", "--base-host", "localhost", "--data-dir", DataDir,
            "--http-addr", $"127.0.0.1:{HttpPort}", "--https-addr", $"127.0.0.1:{HttpsPort}",
            "--control-addr", $"127.0.0.1:{ControlPort}", "--admin-addr", $"127.0.0.1:{AdminPort}",
            .. _extraArgs,
        ]);
        await Process.WaitForLineAsync("tunneld ready");
    }

    /// <summary>Runs <c>tunneld admin ...</c> against this edge's data directory.</summary>
    public Task<(int ExitCode, string Output)> AdminAsync(params string[] args) =>
        ProgramProcess.RunAsync(RepoPaths.Tunneld, ["admin", .. args, "--data-dir", DataDir]);

    /// <summary>Creates a user and returns the token printed on the last line of issue-token.</summary>
    public async Task<string> CreateUserWithTokenAsync(string email)
    {
        var (code, output) = await AdminAsync("create-user", "--email", email);
        Assert.True(code == 0, output);
        (code, output) = await AdminAsync("issue-token", "--email", email, "--name", "test");
        Assert.True(code == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
    }
}
