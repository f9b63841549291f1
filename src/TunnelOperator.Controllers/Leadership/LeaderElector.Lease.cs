using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Coordination;

namespace TunnelOperator.Controllers.Leadership;

/// <summary>Reading and writing the lease record (client-go's <c>tryAcquireOrRenew</c> and <c>release</c>).</summary>
public sealed partial class LeaderElector
{
    private int LeaseSeconds => (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);

    /// <summary>One attempt: true if this replica holds the lease afterwards.</summary>
    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lease = await _leases.TryGetAsync(_options.LeaseName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            try
            {
                var created = await _leases.CreateAsync(new Lease
                {
                    Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace },
                    Spec = new LeaseSpec { HolderIdentity = Identity, LeaseDurationSeconds = LeaseSeconds, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
                Observe(created.Spec);
                return true;
            }
            catch (KubernetesApiException e) when (e.IsAlreadyExists || e.IsConflict)
            {
                return false; // another candidate created it first
            }
        }

        var record = lease.Spec ?? new LeaseSpec();
        Observe(record);
        var holder = record.HolderIdentity;
        var heldByOther = !string.IsNullOrEmpty(holder) && holder != Identity;
        if (heldByOther && !ObservedExpired(record))
        {
            return false;
        }

        var renewing = holder == Identity;
        var next = new LeaseSpec
        {
            HolderIdentity = Identity,
            LeaseDurationSeconds = LeaseSeconds,
            RenewTime = now,
            AcquireTime = renewing ? record.AcquireTime ?? now : now,
            LeaseTransitions = renewing ? record.LeaseTransitions ?? 0 : (record.LeaseTransitions ?? 0) + 1,
        };

        try
        {
            // Replace carries the resourceVersion just read: of two candidates writing, one gets 409.
            var updated = await _leases.ReplaceAsync(lease with { Spec = next }, cancellationToken: cancellationToken).ConfigureAwait(false);
            Observe(updated.Spec);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            return false;
        }
    }

    /// <summary>Clears the holder if this replica still holds the lease (best effort, bounded by RenewDeadline).</summary>
    private async Task ReleaseAsync()
    {
        using var deadline = new CancellationTokenSource(_options.RenewDeadline, _time);
        try
        {
            var lease = await _leases.TryGetAsync(_options.LeaseName, deadline.Token).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var released = await _leases.ReplaceAsync(lease with
            {
                Spec = new LeaseSpec
                {
                    HolderIdentity = null,
                    LeaseDurationSeconds = 1,
                    AcquireTime = now,
                    RenewTime = now,
                    LeaseTransitions = lease.Spec.LeaseTransitions,
                },
            }, cancellationToken: deadline.Token).ConfigureAwait(false);
            Observe(released.Spec);
            LeaderElectionLog.Released(_logger, Identity, _options.LeaseNamespace, _options.LeaseName);
        }
        catch (Exception e)
        {
            // Not released: candidates take over after LeaseDuration instead.
            LeaderElectionLog.AttemptFailed(_logger, e, Identity, _options.LeaseNamespace, _options.LeaseName);
        }
    }

    /// <summary>Notes the record; the observed time moves only when the record changed.</summary>
    private void Observe(LeaseSpec? record)
    {
        record ??= new LeaseSpec();
        string? newLeader = null;
        lock (_lock)
        {
            if (_observed != record)
            {
                _observed = record;
                _observedAt = _time.GetTimestamp();
            }

            var holder = record.HolderIdentity ?? "";
            if (holder != _reportedLeader)
            {
                _reportedLeader = holder;
                newLeader = holder;
            }
        }

        if (newLeader is not null)
        {
            LeaderElectionLog.NewLeader(_logger, Identity, _options.LeaseNamespace, _options.LeaseName, newLeader);
            _callbacks?.OnNewLeader?.Invoke(newLeader);
        }
    }

    private bool ObservedExpired(LeaseSpec record)
    {
        lock (_lock)
        {
            var duration = TimeSpan.FromSeconds(record.LeaseDurationSeconds ?? 0);
            return _time.GetElapsedTime(_observedAt) >= duration;
        }
    }
}
