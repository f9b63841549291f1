using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Events;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models.Apps;

namespace TunnelOperator.Controllers.Tests.Controllers;

/// <summary>The reconciler of src/TunnelOperator.Controllers/README.md, kept compiling and tested here.</summary>
internal static class ReadmeExample
{
    public const string Finalizer = "tunneloperator.io/edge-cleanup";

    public static void Register(ControllerManager manager) =>
        manager.NewController("tunnels").For<Tunnel>().Owns<Deployment>()
            .Watches<EdgeNode>(edge => manager.Cache.List<Tunnel>(edge.Metadata.Namespace)
                .Where(t => t.Spec.EdgeRef.Name == edge.Metadata.Name).Select(ObjectKey.From))
            .Complete(new TunnelReconciler(manager, manager.GetEventRecorder("tunneloperator.io/operator")));

    private sealed class TunnelReconciler(ControllerManager manager, IEventRecorder events) : IReconciler<Tunnel>
    {
        public async Task<ReconcileResult> ReconcileAsync(Tunnel tunnel, CancellationToken ct)
        {
            // Add our finalizer first; on delete, clean up and let the object go.
            var action = await Finalizers.EnsureAsync(manager.Client, tunnel, Finalizer, UnregisterAsync, ct);
            if (action != FinalizerAction.Continue) return ReconcileResult.Done; // Added: its own update requeues it

            var edge = manager.Cache.TryGet<EdgeNode>(new ObjectKey(tunnel.Metadata.Namespace, tunnel.Spec.EdgeRef.Name));
            var ready = edge is not null;
            if (!ready) events.Warning(tunnel, "EdgeNotFound", $"edge {tunnel.Spec.EdgeRef.Name} does not exist");

            var conditions = Conditions.Set(tunnel.Status?.Conditions, "Ready", ConditionStatus.From(ready),
                ready ? "Registered" : "EdgeNotFound", null, tunnel.Metadata.Generation);
            var status = (tunnel.Status ?? new()) with { ObservedGeneration = tunnel.Metadata.Generation, Conditions = conditions };
            await StatusWriter.WriteAsync(manager.Client, tunnel, tunnel with { Status = status }, cancellationToken: ct); // only on change
            return ready ? ReconcileResult.Done : ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(1));
        }

        private static Task UnregisterAsync(Tunnel tunnel, CancellationToken ct) => Task.CompletedTask; // idempotent; throw to retry
    }
}
