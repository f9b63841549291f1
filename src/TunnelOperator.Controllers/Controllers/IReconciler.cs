using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// Converges one object (controller-runtime's <c>Reconciler</c>, kube-rs's reconcile function). It is
/// never told why it runs, a create, an update, a child's change, a retry or a resync: it compares
/// what the object asks for with what exists and closes the gap, the same way every time.
/// </summary>
/// <remarks>
/// The object comes from the informer cache and is shared: change copies (<c>with</c>), never it.
/// Return <see cref="ReconcileResult.Done"/> when converged, <see cref="ReconcileResult.RequeueAfter"/>
/// to look again later (polling something outside the cluster), and throw for a fault worth retrying:
/// the controller's <see cref="IErrorPolicy"/> then decides the backoff. Deletion is seen through a
/// finalizer (<see cref="Finalizers"/>): once the object has left the cache it is not reconciled.
/// </remarks>
public interface IReconciler<in T>
    where T : KubernetesObject
{
    Task<ReconcileResult> ReconcileAsync(T value, CancellationToken cancellationToken);
}
