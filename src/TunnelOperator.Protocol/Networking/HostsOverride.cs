using System.Net;
using System.Net.Sockets;

namespace TunnelOperator.Protocol.Networking;

/// <summary>
/// Name resolution that looks in a hosts(5) file first and asks DNS for everything else. The local
/// control plane runs Pods as processes on this machine, where cluster DNS names
/// (<c>web.shop.svc.cluster.local</c>) do not resolve; it writes their clusterIPs to a hosts file and
/// names it in <c>TUNNELOP_HOSTS_FILE</c>. In a real cluster the variable is unset and only DNS is used.
/// The file is read again whenever its size or modification time changes (the control plane replaces
/// it atomically as Services come and go).
/// </summary>
public sealed class HostsOverride
{
    /// <summary>The variable that names the hosts file.</summary>
    public const string EnvironmentVariable = "TUNNELOP_HOSTS_FILE";

    private static readonly Lazy<HostsOverride> FromEnvironment = new(() => new HostsOverride(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    private readonly string? _path;
    private readonly Lock _lock = new();
    private (DateTime Modified, long Length) _version;
    private Dictionary<string, IPAddress[]> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="path">A hosts(5) file, or null/empty for DNS only.</param>
    public HostsOverride(string? path)
    {
        _path = string.IsNullOrWhiteSpace(path) ? null : path;
    }

    /// <summary>The resolver of this process: the file <c>TUNNELOP_HOSTS_FILE</c> names, if any.</summary>
    public static HostsOverride Shared => FromEnvironment.Value;

    /// <summary>The hosts file consulted first, or null.</summary>
    public string? Path => _path;

    /// <summary>The addresses of <paramref name="host"/>: an IP literal as is, a name from the file, else DNS.</summary>
    public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var bare = host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        if (IPAddress.TryParse(bare, out var literal))
        {
            return [literal];
        }

        if (Lookup(bare.TrimEnd('.')) is { } listed)
        {
            return listed;
        }

        return await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects <paramref name="socket"/> to <paramref name="host"/>:<paramref name="port"/>, trying each address in turn.</summary>
    public async ValueTask ConnectAsync(Socket socket, string host, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        await socket.ConnectAsync(addresses, port, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A connected TCP stream to <paramref name="host"/>:<paramref name="port"/> (for <c>SocketsHttpHandler.ConnectCallback</c>).</summary>
    public async ValueTask<Stream> ConnectStreamAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await ConnectAsync(socket, host, port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The file's addresses for <paramref name="name"/>, or null when the file does not list it.</summary>
    public IPAddress[]? Lookup(string name)
    {
        if (_path is null)
        {
            return null;
        }

        Refresh();
        lock (_lock)
        {
            return _entries.TryGetValue(name, out var addresses) ? addresses : null;
        }
    }

    /// <summary>Parses hosts(5) text: <c>address name [alias...]</c> per line, <c>#</c> starts a comment.</summary>
    public static Dictionary<string, IPAddress[]> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new Dictionary<string, List<IPAddress>>(StringComparer.OrdinalIgnoreCase);
        foreach (var rawLine in text.Split('\n'))
        {
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = hash >= 0 ? rawLine[..hash] : rawLine;
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !IPAddress.TryParse(fields[0], out var address))
            {
                continue;
            }

            foreach (var name in fields.Skip(1))
            {
                var key = name.TrimEnd('.');
                if (!entries.TryGetValue(key, out var list))
                {
                    entries[key] = list = [];
                }

                if (!list.Contains(address))
                {
                    list.Add(address);
                }
            }
        }

        return entries.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    private void Refresh()
    {
        var info = new FileInfo(_path!);
        var version = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
        lock (_lock)
        {
            if (version == _version)
            {
                return;
            }
        }

        Dictionary<string, IPAddress[]> entries;
        try
        {
            entries = version.Item2 < 0 ? new(StringComparer.OrdinalIgnoreCase) : Parse(File.ReadAllText(_path!));
        }
        catch (IOException)
        {
            return; // being replaced right now: keep what we had and look again next time
        }

        lock (_lock)
        {
            _entries = entries;
            _version = version;
        }
    }
}
