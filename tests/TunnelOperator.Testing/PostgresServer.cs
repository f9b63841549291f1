using System.Globalization;
using System.Text.RegularExpressions;

namespace TunnelOperator.Testing;

/// <summary>
/// A throwaway PostgreSQL server from Debian's <c>postgresql</c> package, for tests that need
/// the real thing. It listens on 127.0.0.1 only, on a free port, with its data, socket and log
/// in a fresh temporary directory that <see cref="DisposeAsync"/> deletes.
///
/// PostgreSQL refuses to run as root, so when the tests run as root the server's tools run as
/// the <c>postgres</c> user (runuser) and the directory is handed to that user. Durability
/// settings that only matter when the machine crashes (fsync) are off for speed; a killed server
/// still keeps every committed transaction, which outage tests rely on.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    public const string InstallRoot = "/usr/lib/postgresql";
    public const string Host = "127.0.0.1";
    public const string Superuser = "postgres";

    private readonly string _bin;
    private readonly string _root;
    private bool _running;
    private int _disposed;

    private PostgresServer(string bin, string version, string root)
    {
        _bin = bin;
        _root = root;
        Version = version;
    }

    /// <summary>The major version directory the binaries came from, e.g. "15".</summary>
    public string Version { get; }

    public int Port { get; private set; }

    public bool IsRunning => _running;

    private static bool AsRoot => Environment.IsPrivilegedProcess;

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogPath => Path.Combine(_root, "postgres.log");

    /// <summary>
    /// Initialises a cluster (trust authentication, superuser <c>postgres</c>) and starts it,
    /// returning once it accepts connections (pg_ctl -w). Throws
    /// <see cref="PostgresNotInstalledException"/> when the binaries are missing.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PostgresNotInstalledException("the PostgreSQL test server runs Debian's 'postgresql' package and needs Linux");
        }

        var (bin, version) = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), $"tunnelop-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var server = new PostgresServer(bin, version, root);
        try
        {
            if (AsRoot)
            {
                await ProcessRunner.RunCheckedAsync("chown", [$"{Superuser}:{Superuser}", root], ct).ConfigureAwait(false);
            }

            await server.RunToolAsync("initdb", ["-D", server.DataDirectory, "-A", "trust", "-U", Superuser, "-E", "UTF8", "--locale=C", "--no-sync"], ct).ConfigureAwait(false);

            // FreePort's port can be taken by someone else before the server binds it; pick again.
            for (var attempt = 1; ; attempt++)
            {
                server.Port = FreePort.Next();
                try
                {
                    await server.StartServerAsync(ct).ConfigureAwait(false);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3 && server.ReadLog().Contains("could not bind", StringComparison.Ordinal))
                {
                }
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates an empty database and returns its URL, <c>postgres://postgres@127.0.0.1:PORT/name</c>.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"database name '{name}' must be 1-63 characters of a-z, 0-9 and '_', not starting with a digit", nameof(name));
        }

        await ProcessRunner.RunCheckedAsync(Path.Combine(_bin, "createdb"),
            ["-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Superuser, name], ct).ConfigureAwait(false);
        return ConnectionUrl(name);
    }

    /// <summary>The URL of a database on this server, optionally with a password (trust authentication ignores it).</summary>
    public string ConnectionUrl(string database, string? password = null) =>
        password is null
            ? $"postgres://{Superuser}@{Host}:{Port}/{database}"
            : $"postgres://{Superuser}:{Uri.EscapeDataString(password)}@{Host}:{Port}/{database}";

    /// <summary>Stops the server; clients see their connections drop and new ones refused.</summary>
    public async Task StopAsync(PostgresShutdown mode = PostgresShutdown.Fast, CancellationToken ct = default)
    {
        await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", mode == PostgresShutdown.Fast ? "fast" : "immediate", "-w", "stop"], ct).ConfigureAwait(false);
        _running = false;
    }

    /// <summary>Starts the server again on the same port, stopping it first if it runs; returns once it accepts connections.</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        if (_running)
        {
            await StopAsync(PostgresShutdown.Fast, ct).ConfigureAwait(false);
        }

        await StartServerAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The server's log so far, for failure messages.</summary>
    public string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogPath);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_running)
        {
            // Nothing in a throwaway cluster is worth a clean shutdown.
            await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None, check: false).ConfigureAwait(false);
            _running = false;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is not worth failing a test run over.
        }
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {_root}",
            $"-c listen_addresses={Host}",
            "-c fsync=off",
            "-c full_page_writes=off",
            // Test classes run in parallel, each with pooled connections to its own databases.
            "-c max_connections=200");
        try
        {
            await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", LogPath, "-o", options, "-w", "-t", "60", "start"], ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\nserver log ({LogPath}):\n{ReadLog()}", e);
        }

        _running = true;
    }

    private async Task<string> RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct, bool check = true)
    {
        var path = Path.Combine(_bin, tool);
        IEnumerable<string> argv = arguments;
        var program = path;
        if (AsRoot)
        {
            program = "runuser";
            argv = ["-u", Superuser, "--", path, .. arguments];
        }

        return check
            ? await ProcessRunner.RunCheckedAsync(program, argv, ct).ConfigureAwait(false)
            : (await ProcessRunner.RunAsync(program, argv, ct).ConfigureAwait(false)).Output;
    }

    /// <summary>The newest installed major version that has the server tools.</summary>
    private static (string Bin, string Version) FindBinaries()
    {
        if (!Directory.Exists(InstallRoot))
        {
            throw new PostgresNotInstalledException();
        }

        var found = Directory.GetDirectories(InstallRoot)
            .Select(dir => (Bin: Path.Combine(dir, "bin"), Version: Path.GetFileName(dir)))
            .Where(v => File.Exists(Path.Combine(v.Bin, "initdb")) && File.Exists(Path.Combine(v.Bin, "pg_ctl")) && File.Exists(Path.Combine(v.Bin, "createdb")))
            .OrderByDescending(v => int.TryParse(v.Version, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1)
            .ToList();
        return found.Count > 0 ? found[0] : throw new PostgresNotInstalledException();
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
