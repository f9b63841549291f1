using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Cache;

/// <summary>The list-and-watch loop (client-go's reflector).</summary>
public sealed partial class Informer<T>
{
    /// <summary>Lists and watches until <paramref name="cancellationToken"/> is cancelled. Runs once per informer.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"the informer for {T.Resource} is running already");
        }

        using var resync = _options.ResyncPeriod is { } period && period > TimeSpan.Zero
            ? _time.CreateTimer(static s => ((Informer<T>)s!).Resync(), this, period, period)
            : null;
        var backoff = _options.MinBackoff;
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await RelistAsync(cancellationToken).ConfigureAwait(false);
                    backoff = _options.MinBackoff;
                }

                var (next, events) = await WatchAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                resourceVersion = next;
                InformerLog.WatchEnded(_logger, T.Resource.ToString(), resourceVersion);
                if (events == 0)
                {
                    // Not even a bookmark: a server or proxy that ends watches at once must not make
                    // this a hot loop. A healthy server ends a quiet watch only after minutes.
                    await Task.Delay(_options.MinBackoff, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ResourceVersionExpiredException)
            {
                // Relist at once: the server is fine, our version is just too old to resume from.
                InformerLog.Expired(_logger, T.Resource.ToString(), resourceVersion);
                resourceVersion = null;
            }
            catch (Exception e)
            {
                // A broken watch or a failed list (network, server restart, timeout): relist after a
                // growing pause, so a struggling API server is not hammered by every replica at once.
                InformerLog.Failed(_logger, e, T.Resource.ToString(), backoff);
                resourceVersion = null;
                try
                {
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    async Task IInformer.RunAsync(CancellationToken cancellationToken) => await RunAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Lists every object, swaps the cache and tells the handlers the differences; returns the list's resourceVersion.</summary>
    private async Task<string?> RelistAsync(CancellationToken cancellationToken)
    {
        var (items, resourceVersion) = await ListAllAsync(_options.PageSize, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var changes = _store.Replace(items);
            foreach (var change in changes)
            {
                Dispatch(change);
            }

            LastSyncResourceVersion = resourceVersion;
            InformerLog.Listed(_logger, T.Resource.ToString(), items.Count, resourceVersion, changes.Count);
            _synced.TrySetResult();
        }

        return resourceVersion;
    }

    private async Task<(List<T> Items, string? ResourceVersion)> ListAllAsync(int? pageSize, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? resourceVersion = null;
        string? continueToken = null;
        try
        {
            do
            {
                var page = await _client.ListAsync(new ListOptions
                {
                    LabelSelector = _options.LabelSelector,
                    FieldSelector = _options.FieldSelector,
                    Limit = pageSize,
                    Continue = continueToken,
                }, cancellationToken).ConfigureAwait(false);

                // The first page's version: on a real API server every page is read from that snapshot.
                resourceVersion ??= page.Metadata.ResourceVersion;
                items.AddRange(_options.Transform is null ? page.Items : page.Items.Select(Transformed));
                continueToken = page.Metadata.Continue;
            }
            while (!string.IsNullOrEmpty(continueToken));
        }
        catch (ResourceVersionExpiredException) when (continueToken is not null && pageSize is not null)
        {
            // The continue token outlived the snapshot (client-go falls back the same way): one full list.
            return await ListAllAsync(null, cancellationToken).ConfigureAwait(false);
        }

        return (items, resourceVersion);
    }

    /// <summary>Applies watch events until the server ends the stream; returns the version to resume from and how many events came.</summary>
    private async Task<(string? ResourceVersion, int Events)> WatchAsync(string? resourceVersion, CancellationToken cancellationToken)
    {
        var count = 0;
        var timeout = _options.WatchTimeout * (1 + Random.Shared.NextDouble());
        var options = new WatchOptions
        {
            ResourceVersion = resourceVersion,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            AllowWatchBookmarks = true,
            TimeoutSeconds = Math.Max(1, (int)timeout.TotalSeconds),
        };

        await foreach (var e in _client.WatchAsync(options, cancellationToken).ConfigureAwait(false))
        {
            if (e.Type != WatchEventType.Bookmark && e.Object is { } value)
            {
                Apply(e.Type, Transformed(value));
            }

            resourceVersion = e.ResourceVersion ?? e.Object?.Metadata.ResourceVersion ?? resourceVersion;
            LastSyncResourceVersion = resourceVersion;
            count++;
        }

        return (resourceVersion, count);
    }

    private T Transformed(T value) => _options.Transform is { } transform ? (T)transform(value) : value;

    private void Apply(WatchEventType type, T value)
    {
        lock (_gate)
        {
            if (type == WatchEventType.Deleted)
            {
                _store.Remove(ObjectKey.From(value));
                Dispatch(InformerChange<T>.Deleted(value));
                return;
            }

            var previous = _store.Upsert(value);
            Dispatch(previous is null ? InformerChange<T>.Added(value) : InformerChange<T>.Updated(previous, value));
        }
    }

    private void Resync()
    {
        lock (_gate)
        {
            if (!HasSynced)
            {
                return;
            }

            foreach (var value in _store.List(null, null))
            {
                Dispatch(InformerChange<T>.Updated(value, value));
            }
        }
    }
}
