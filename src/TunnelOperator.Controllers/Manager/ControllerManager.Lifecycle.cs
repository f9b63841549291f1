using System.Text;
using Microsoft.AspNetCore.Http;
using TunnelOperator.Controllers.Events;
using TunnelOperator.Controllers.Leadership;
using TunnelOperator.Telemetry;

namespace TunnelOperator.Controllers.Manager;

/// <summary>Start, the leadership loop, graceful stop.</summary>
public sealed partial class ControllerManager
{
    /// <summary>Serves the endpoints, starts the informers and the controllers (or the campaign); returns once listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_state != 0)
            {
                throw new InvalidOperationException("the manager was started already");
            }

            _state = 1;
        }

        _endpoints = await ManagerEndpoints.StartAsync(_options.HealthProbeEndPoint, _options.MetricsEndPoint, HealthzAsync, ReadyzAsync, ScrapeAsync, cancellationToken).ConfigureAwait(false);
        foreach (var (paths, url) in new[] { ("/healthz /readyz", HealthProbeUrl), ("/metrics", MetricsUrl) })
        {
            if (url is not null)
            {
                ManagerLog.Serving(_logger, _options.Name, paths, url);
            }
        }

        Cache.Start();
        _leading = Task.Run(LeadLoopAsync, CancellationToken.None);
        ManagerLog.Started(_logger, _options.Name, _controllers.Count, LeaderElector is null ? "off" : $"lease {_options.LeaderElection!.LeaseNamespace}/{_options.LeaderElection.LeaseName} as {LeaderElector.Identity}");
    }

    /// <summary>
    /// Graceful stop: no new keys; reconciles in flight finish (up to the grace period) or are
    /// cancelled; then the lease is released, events flushed, informers and endpoints stopped.
    /// <paramref name="cancellationToken"/> cuts the wait short (in-flight reconciles are cancelled).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_state != 1)
            {
                _state = 2;
                return;
            }

            _state = 2;
        }

        ManagerLog.Stopping(_logger, _options.Name, _options.GracefulShutdownTimeout);
        using var abortOnCancel = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _abort);
        // Synchronous on purpose: when StopAsync returns its task, no controller takes another key.
        _stopping.Cancel();

        // The term drains on its own (each controller bounds it by the grace period); only then is the
        // campaign cancelled, which would otherwise cancel the term's reconciles as a lost lease does.
        if (Volatile.Read(ref _term) is { } term)
        {
            await Bounded(term, _options.GracefulShutdownTimeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        await _campaign.CancelAsync().ConfigureAwait(false);
        if (_leading is { } leading)
        {
            await Bounded(leading, (_options.LeaderElection?.RenewDeadline ?? TimeSpan.Zero) + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        EventRecorderList(out var recorders);
        foreach (var recorder in recorders)
        {
            await recorder.DisposeAsync().ConfigureAwait(false);
        }

        await Cache.StopAsync().ConfigureAwait(false);
        if (_endpoints is { } endpoints)
        {
            await endpoints.DisposeAsync().ConfigureAwait(false);
        }

        ManagerLog.Stopped(_logger, _options.Name);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        EventRecorderList(out var recorders);
        foreach (var recorder in recorders)
        {
            await recorder.DisposeAsync().ConfigureAwait(false); // also when the manager never started
        }

        _exporter.Dispose();
        _meter.Dispose();
        _stopping.Dispose();
        _campaign.Dispose();
        _abort.Dispose();
    }

    private async Task LeadLoopAsync()
    {
        if (LeaderElector is null)
        {
            await RunTermAsync(_abort.Token).ConfigureAwait(false);
            return;
        }

        var callbacks = new LeaderElectionCallbacks
        {
            OnStartedLeading = RunTermAsync,
            OnStoppedLeading = () =>
            {
                if (!_stopping.IsCancellationRequested)
                {
                    ManagerLog.StoppedLeading(_logger, _options.Name);
                }
            },
        };

        // Losing the lease ends a term, not the process: campaign again (controller-runtime exits
        // instead and relies on a restart; a new term here starts from a full resync just the same).
        while (!_stopping.IsCancellationRequested && !_campaign.IsCancellationRequested)
        {
            try
            {
                await LeaderElector.RunAsync(callbacks, _campaign.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // A term that fails (a controller bug) must not turn into a hot loop of lease writes.
                ManagerLog.TermFailed(_logger, e, _options.Name);
                try
                {
                    await Task.Delay(_options.LeaderElection!.RetryPeriod, _options.TimeProvider, _campaign.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One term: every controller runs until the manager stops (graceful) or <paramref name="abort"/> (lease lost).</summary>
    private Task RunTermAsync(CancellationToken abort)
    {
        if (_stopping.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var term = RunControllersAsync(abort);
        Volatile.Write(ref _term, term);
        return term;
    }

    private async Task RunControllersAsync(CancellationToken abort)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(abort, _abort.Token);
        await Task.WhenAll(_controllers.Select(c => c.RunAsync(_stopping.Token, either.Token))).ConfigureAwait(false);
    }

    private void EventRecorderList(out List<EventRecorder> recorders)
    {
        lock (_lock)
        {
            recorders = [.. _recorders];
        }
    }

    private async Task Bounded(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ManagerLog.TermFailed(_logger, e, _options.Name);
        }
    }

    private Task HealthzAsync(HttpContext context)
    {
        List<string> failing;
        lock (_lock)
        {
            failing = [.. _healthChecks.Where(c => !Safe(c.Check)).Select(c => c.Name)];
        }

        return Respond(context, failing.Count == 0 ? 200 : 500, failing.Count == 0 ? "ok\n" : $"failing: {string.Join(", ", failing)}\n");
    }

    // Ready once every informer has synced (controller-runtime's readyz over the cache): a replica
    // that cannot list yet would lead with an empty view of the cluster.
    private Task ReadyzAsync(HttpContext context)
    {
        var failing = Cache.Status.Where(s => !s.Synced).Select(s => $"informer {s.Resource}").ToList();
        lock (_lock)
        {
            failing.AddRange(_readyChecks.Where(c => !Safe(c.Check)).Select(c => c.Name));
        }

        return Respond(context, failing.Count == 0 ? 200 : 503, failing.Count == 0 ? "ok\n" : $"not ready: {string.Join(", ", failing)}\n");
    }

    private async Task ScrapeAsync(HttpContext context)
    {
        context.Response.ContentType = PrometheusExporter.ContentType;
        await _exporter.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool Safe(Func<bool> check)
    {
        try
        {
            return check();
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static async Task Respond(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted).ConfigureAwait(false);
    }
}
