using Microsoft.Extensions.Logging;
using TunnelOperator.Kubernetes.Client;

namespace TunnelOperator.Kubernetes.Auth;

/// <summary>
/// A token kept in a file that something else rotates: the kubelet's projected service-account
/// token (refreshed well before its one-hour expiry) or a kubeconfig <c>tokenFile</c>. Like
/// client-go's cached file token source, the file is read at most once per refresh interval, and
/// when a later read fails the last good token stays in use.
/// </summary>
internal sealed class FileTokenSource : ITokenSource
{
    private readonly string _path;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Snapshot? _current;

    public FileTokenSource(string path, TimeSpan refreshInterval, TimeProvider time, ILogger logger)
    {
        _path = path;
        _refreshInterval = refreshInterval;
        _time = time;
        _logger = logger;
    }

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        return current is not null && _time.GetUtcNow() < current.RefreshAt
            ? ValueTask.FromResult<string?>(current.Token)
            : ReadAsync(current, cancellationToken);
    }

    private async ValueTask<string?> ReadAsync(Snapshot? previous, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var token = (await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false)).Trim();
            if (token.Length == 0)
            {
                throw new IOException("the file is empty");
            }

            var next = new Snapshot(token, now + _refreshInterval);
            Volatile.Write(ref _current, next);
            return token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && previous is not null)
        {
            // A rotation in progress or a transient error: keep the last good token, try again later.
            Log.TokenFileUnreadable(_logger, _path, e.GetType().Name);
            Volatile.Write(ref _current, previous with { RefreshAt = now + _refreshInterval });
            return previous.Token;
        }
    }

    private sealed record Snapshot(string Token, DateTimeOffset RefreshAt);
}
