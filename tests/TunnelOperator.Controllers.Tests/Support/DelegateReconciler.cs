using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Tests.Support;

/// <summary>A reconciler from a delegate, so each test states its own convergence logic inline.</summary>
internal sealed class DelegateReconciler<T>(Func<T, CancellationToken, Task<ReconcileResult>> reconcile) : IReconciler<T>
    where T : KubernetesObject
{
    public Task<ReconcileResult> ReconcileAsync(T value, CancellationToken cancellationToken) => reconcile(value, cancellationToken);
}

/// <summary>Records every decision of the default policy, so tests can see which faults happened.</summary>
internal sealed class RecordingErrorPolicy : IErrorPolicy
{
    public Observations<(Exception Error, ErrorDecision Decision)> Decisions { get; } = new();

    public ErrorDecision Decide(Exception error, int retries)
    {
        var decision = DefaultErrorPolicy.Instance.Decide(error, retries);
        Decisions.Add((error, decision));
        return decision;
    }
}
