using TunnelOperator.Controllers.Queue;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>One key: read the cache, reconcile, and turn the outcome into queue operations.</summary>
public sealed partial class Controller<T>
{
    private const string Success = "success";
    private const string Error = "error";
    private const string Requeue = "requeue";
    private const string RequeueAfter = "requeue_after";

    private async Task ProcessAsync(WorkQueue<ObjectKey> queue, ObjectKey key, CancellationToken cancellationToken)
    {
        var reconcileId = Guid.NewGuid().ToString();
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["controller"] = Name,
            ["namespace"] = key.Namespace,
            ["name"] = key.Name,
            ["reconcileID"] = reconcileId,
        });

        var value = _informer.TryGet(key);
        if (value is null && _deletedHandler is null)
        {
            // Gone from the cache: deletion was (or should have been) handled through a finalizer.
            ControllerLog.Gone(_logger, Name, key.Namespace, key.Name);
            queue.Forget(key);
            return;
        }

        var started = _host.Time.GetTimestamp();
        string result;
        try
        {
            if (value is null)
            {
                await _deletedHandler!.OnDeletedAsync(key, cancellationToken).ConfigureAwait(false);
                queue.Forget(key);
                result = Success;
            }
            else
            {
                var outcome = await _reconciler.ReconcileAsync(value, cancellationToken).ConfigureAwait(false);
                queue.Forget(key);
                if (outcome.Delay is { } delay)
                {
                    queue.AddAfter(key, delay);
                    result = delay > TimeSpan.Zero ? RequeueAfter : Requeue;
                }
                else
                {
                    result = Success;
                }
            }

            ControllerLog.Reconciled(_logger, Name, key.Namespace, key.Name, reconcileId, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown or lost leadership, not a fault: the queue is going away with the term.
            ControllerLog.Cancelled(_logger, Name, key.Namespace, key.Name, reconcileId);
            result = Error;
        }
        catch (Exception e)
        {
            result = Error;
            _host.Metrics.ReconcileErrors.Add(1, _tags);
            var decision = _errorPolicy.Decide(e, queue.NumRequeues(key));
            switch (decision.Kind)
            {
                case ErrorDecisionKind.RetryAfter:
                    queue.AddAfter(key, decision.Delay);
                    break;
                case ErrorDecisionKind.Drop:
                    queue.Forget(key);
                    break;
                default:
                    queue.AddRateLimited(key);
                    break;
            }

            if (e is TunnelOperator.Kubernetes.Errors.KubernetesApiException { IsConflict: true })
            {
                // A write from a stale read: expected under concurrent writers, and retried. Not an
                // error worth a stack trace (controller-runtime users learn to ignore these).
                ControllerLog.Conflict(_logger, Name, key.Namespace, key.Name, reconcileId, e.Message, Describe(decision));
            }
            else
            {
                ControllerLog.Failed(_logger, e, Name, key.Namespace, key.Name, reconcileId, Describe(decision));
            }
        }

        var tags = _tags;
        tags.Add("result", result);
        _host.Metrics.ReconcileTotal.Add(1, tags);
        _host.Metrics.ReconcileTime.Record(_host.Time.GetElapsedTime(started).TotalSeconds, _tags);
    }

    private static string Describe(ErrorDecision decision) => decision.Kind switch
    {
        ErrorDecisionKind.RetryAfter => $"retrying after {decision.Delay}",
        ErrorDecisionKind.Drop => "dropped until the object changes",
        _ => "retrying with backoff",
    };
}
