using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Operator.Hosting;

/// <summary>Tells <see cref="OperatorOptions.AfterReconcile"/> of each reconcile, so tests wait on reconciles instead of on time.</summary>
internal sealed class ObservedReconciler<T>(string controller, IReconciler<T> inner, Action<string, KubernetesObject, Exception?> observe) : IReconciler<T>
    where T : KubernetesObject
{
    public async Task<ReconcileResult> ReconcileAsync(T value, CancellationToken cancellationToken)
    {
        try
        {
            var result = await inner.ReconcileAsync(value, cancellationToken).ConfigureAwait(false);
            observe(controller, value, null);
            return result;
        }
        catch (Exception e)
        {
            observe(controller, value, e);
            throw;
        }
    }
}
