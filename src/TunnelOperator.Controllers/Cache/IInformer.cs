using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Cache;

/// <summary>What the shared cache and the manager need of an informer of any kind.</summary>
internal interface IInformer
{
    ResourceType Resource { get; }

    bool HasSynced { get; }

    Task WaitForSyncAsync(CancellationToken cancellationToken);

    Task RunAsync(CancellationToken cancellationToken);
}
