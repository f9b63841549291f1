using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models.Coordination;

namespace TunnelOperator.Controllers.Leadership;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease (client-go's <c>leaderelection</c>):
/// <list type="number">
/// <item>Campaign: every <c>RetryPeriod</c> (jittered) read the lease. Take it when it has no holder,
/// or when its record has not changed for <c>LeaseDuration</c> as measured on this replica's own
/// monotonic clock since it first saw that record. Clocks of different machines are never compared
/// (client-go's "observed time" rule): a skewed clock cannot steal a live lease.</item>
/// <item>Lead: call <c>OnStartedLeading</c>, and renew every <c>RetryPeriod</c>. A renewal round
/// retries until <c>RenewDeadline</c>; if no attempt succeeds by then, leadership is lost: the
/// leading token is cancelled at once, because candidates may take over after <c>LeaseDuration</c>.</item>
/// <item>End: when the leader's work returns (or the elector is stopped and the work then returns),
/// release the lease, clearing the holder so the next replica takes over at its next try.</item>
/// </list>
/// Writes go through resourceVersion-guarded replaces, so two candidates never both win a round.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly IResourceClient<Lease> _leases;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private LeaseSpec? _observed;
    private long _observedAt;
    private string? _reportedLeader;
    private volatile bool _isLeader;
    private LeaderElectionCallbacks? _callbacks;

    public LeaderElector(IKubernetesClient client, LeaderElectionOptions options, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("a lease lasts whole seconds: LeaseDuration must be at least 1 s", nameof(options));
        }

        _leases = client.Resource<Lease>(options.LeaseNamespace);
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger("TunnelOperator.Controllers.LeaderElection") ?? NullLogger.Instance;
    }

    public string Identity => _options.Identity;

    /// <summary>True from acquiring the lease until leading ends (lost, or released).</summary>
    public bool IsLeader => _isLeader;

    /// <summary>The holder this replica last saw in the lease, or null before the first read.</summary>
    public string? ObservedLeader
    {
        get
        {
            lock (_lock)
            {
                return _observed?.HolderIdentity;
            }
        }
    }

    /// <summary>
    /// Campaigns until this replica leads (or <paramref name="cancellationToken"/> is cancelled), leads
    /// until the work ends or leadership is lost, then returns. Call again to campaign again. When
    /// <paramref name="cancellationToken"/> is cancelled while leading, the leading token is cancelled
    /// and renewing goes on until the work has returned; then the lease is released. Work that has not
    /// returned within RenewDeadline of the stop is abandoned: renewing stops and the lease expires.
    /// </summary>
    public async Task RunAsync(LeaderElectionCallbacks callbacks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        _callbacks = callbacks;
        if (!await CampaignAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        _isLeader = true;
        using var leading = new CancellationTokenSource();
        var work = Task.Run(() => callbacks.OnStartedLeading(leading.Token), CancellationToken.None);
        LeadOutcome outcome;
        using (cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), leading))
        {
            outcome = await LeadAsync(work, cancellationToken).ConfigureAwait(false);
        }

        if (outcome == LeadOutcome.Lost)
        {
            _isLeader = false;
            await leading.CancelAsync().ConfigureAwait(false);
            await WhenDone(work).ConfigureAwait(false);
        }
        else if (outcome == LeadOutcome.Abandoned)
        {
            // Stopped, but the work ignores its token: stop renewing and let the lease expire rather
            // than release it while the work may still be writing.
            _isLeader = false;
            LeaderElectionLog.Abandoned(_logger, Identity, _options.LeaseNamespace, _options.LeaseName);
            callbacks.OnStoppedLeading?.Invoke();
            return;
        }
        else
        {
            if (_options.ReleaseOnCancel)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }

            _isLeader = false;
        }

        callbacks.OnStoppedLeading?.Invoke();
        if (work.IsFaulted)
        {
            await work.ConfigureAwait(false);
        }
    }

    private async Task<bool> CampaignAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
                {
                    LeaderElectionLog.Acquired(_logger, Identity, _options.LeaseNamespace, _options.LeaseName);
                    return true;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                LeaderElectionLog.AttemptFailed(_logger, e, Identity, _options.LeaseNamespace, _options.LeaseName);
            }

            // client-go's JitterFactor 1.2: candidates of one deployment spread their attempts.
            var wait = _options.RetryPeriod * (1 + (Random.Shared.NextDouble() * 1.2));
            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private enum LeadOutcome
    {
        WorkEnded,
        Lost,
        Abandoned,
    }

    /// <summary>
    /// Renews until the work returns, a renewal round fails (lost), or the elector was stopped and the
    /// work has not returned within RenewDeadline since (abandoned).
    /// </summary>
    private async Task<LeadOutcome> LeadAsync(Task work, CancellationToken stop)
    {
        long? stoppedAt = null;
        while (true)
        {
            using (var tick = new CancellationTokenSource())
            {
                var delay = Task.Delay(_options.RetryPeriod, _time, tick.Token);
                await Task.WhenAny(work, delay).ConfigureAwait(false);
                await tick.CancelAsync().ConfigureAwait(false);
            }

            if (work.IsCompleted)
            {
                return LeadOutcome.WorkEnded;
            }

            if (stop.IsCancellationRequested)
            {
                stoppedAt ??= _time.GetTimestamp();
                if (_time.GetElapsedTime(stoppedAt.Value) >= _options.RenewDeadline)
                {
                    return LeadOutcome.Abandoned;
                }
            }

            if (!await RenewAsync().ConfigureAwait(false))
            {
                LeaderElectionLog.Lost(_logger, Identity, _options.LeaseNamespace, _options.LeaseName, _options.RenewDeadline);
                return LeadOutcome.Lost;
            }
        }
    }

    /// <summary>One renewal round: attempts every RetryPeriod until one succeeds or RenewDeadline passes (each call is cut off at the deadline too).</summary>
    private async Task<bool> RenewAsync()
    {
        using var deadline = new CancellationTokenSource(_options.RenewDeadline, _time);
        while (true)
        {
            try
            {
                if (await TryAcquireOrRenewAsync(deadline.Token).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (Exception e) when (!deadline.IsCancellationRequested)
            {
                LeaderElectionLog.AttemptFailed(_logger, e, Identity, _options.LeaseNamespace, _options.LeaseName);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            try
            {
                await Task.Delay(_options.RetryPeriod, _time, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private static async Task WhenDone(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception)
        {
            // Rethrown by RunAsync after the callbacks ran.
        }
    }
}
