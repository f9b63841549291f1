using Microsoft.Extensions.Logging;
using TunnelOperator.Controllers;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Events;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Operator.Apply;
using TunnelOperator.Operator.EdgeAdmin;

namespace TunnelOperator.Operator.Hosting;

/// <summary>What the controllers share: the client and cache, the apply step, the edges' admin API, events and options.</summary>
internal sealed class OperatorContext(
    IKubernetesClient client,
    InformerCache cache,
    IEdgeAdminClientFactory admins,
    IEventRecorder events,
    OperatorOptions options,
    ILoggerFactory loggers)
{
    public IKubernetesClient Client { get; } = client;

    public InformerCache Cache { get; } = cache;

    public ChildApplier Applier { get; } = new(client, options.AfterWrite);

    public IEdgeAdminClientFactory Admins { get; } = admins;

    public EdgeSnapshotCache Snapshots { get; } = new(options.TimeProvider, options.EdgeSnapshotMaxAge);

    public IEventRecorder Events { get; } = events;

    public OperatorOptions Options { get; } = options;

    public TimeProvider Time => Options.TimeProvider;

    public ILoggerFactory Loggers { get; } = loggers;

    /// <summary>
    /// A child from the cache, or, when the cache does not have it, from the API: right after a write
    /// the watch may not have delivered it yet, and a credential generated twice would be worse than a read.
    /// </summary>
    public async Task<T?> ReadAsync<T>(string @namespace, string name, CancellationToken cancellationToken)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        if (Cache.TryGet<T>(new ObjectKey(@namespace, name)) is { } cached)
        {
            return cached;
        }

        try
        {
            return await Client.Resource<T>(@namespace).TryGetAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
