using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Controllers;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Manager;
using TunnelOperator.Controllers.Queue;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.EdgeAdmin;
using TunnelOperator.Operator.EdgeNodes;
using TunnelOperator.Operator.Tunnels;

namespace TunnelOperator.Operator.Hosting;

/// <summary>
/// The operator: a <see cref="ControllerManager"/> running the <c>edgenodes</c> and <c>tunnels</c>
/// controllers. <c>tunneld operator</c> runs one against a cluster, <c>tunneld local</c> one in-process
/// against the local control plane, tests one against either.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    /// <summary>Longest wait between retries of a failing reconcile (e.g. revoking on an edge that is down).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly EdgeAdminClientFactory? _ownedAdmins;

    private OperatorHost(ControllerManager manager, EdgeAdminClientFactory? ownedAdmins)
    {
        Manager = manager;
        _ownedAdmins = ownedAdmins;
    }

    /// <summary>The manager: probes, metrics, leader election, the shared cache.</summary>
    public ControllerManager Manager { get; }

    /// <summary>Builds the manager and both controllers; nothing runs until <see cref="StartAsync"/>.</summary>
    public static OperatorHost Create(IKubernetesClient client, OperatorOptions options, ControllerManagerOptions? managerOptions = null) =>
        Create(client, options, managerOptions, null);

    internal static OperatorHost Create(IKubernetesClient client, OperatorOptions options, ControllerManagerOptions? managerOptions, IEdgeAdminClientFactory? admins)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        managerOptions ??= new ControllerManagerOptions();
        managerOptions = managerOptions with
        {
            // Children are applied with server-side apply, never read field by field: the cache keeps who manages
            // an object but not the field sets, a third of the operator's live heap with 1,000 Tunnels.
            Cache = managerOptions.Cache with
            {
                Namespace = options.Namespace ?? managerOptions.Cache.Namespace,
                Transform = managerOptions.Cache.Transform ?? InformerTransforms.TrimManagedFields,
            },
            TimeProvider = options.TimeProvider,
            LoggerFactory = managerOptions.LoggerFactory ?? options.LoggerFactory,
        };
        var loggers = options.LoggerFactory ?? managerOptions.LoggerFactory ?? NullLoggerFactory.Instance;
        var manager = new ControllerManager(client, managerOptions);
        var owned = admins is null ? new EdgeAdminClientFactory(options.Hosts) : null;
        var context = new OperatorContext(client, manager.Cache, admins ?? owned!, manager.GetEventRecorder(WellKnown.EventComponent), options, loggers);
        var retries = RateLimiters.Create<ObjectKey>(RateLimiters.DefaultBaseDelay, MaxRetryDelay, RateLimiters.DefaultQps, RateLimiters.DefaultBurst, options.TimeProvider);

        manager.NewController("edgenodes")
            .For<EdgeNode>()
            .Owns<Deployment>()
            .Owns<Service>()
            .Owns<Secret>()
            .WithMaxConcurrentReconciles(options.EdgeNodeWorkers)
            .WithRateLimiter(retries)
            .Complete(Observed("edgenodes", new EdgeNodeReconciler(context), options));

        manager.NewController("tunnels")
            .For<Tunnel>()
            .Owns<Deployment>()
            .Owns<Secret>()
            // An edge that appears, changes or goes wakes its Tunnels (status EdgeNotFound, a finalizer waiting on it).
            .Watches<EdgeNode>(edge => manager.Cache.List<Tunnel>(edge.Metadata.Namespace)
                .Where(t => t.Spec.EdgeRef.Name == edge.Metadata.Name)
                .Select(ObjectKey.From))
            // A target Service that appears or changes its ports wakes the Tunnels pointing at it.
            .Watches<Service>(service => manager.Cache.List<Tunnel>(service.Metadata.Namespace)
                .Where(t => t.Spec.Target.Service?.Name == service.Metadata.Name)
                .Select(ObjectKey.From))
            .WithMaxConcurrentReconciles(options.TunnelWorkers)
            .WithRateLimiter(RateLimiters.Create<ObjectKey>(RateLimiters.DefaultBaseDelay, MaxRetryDelay, RateLimiters.DefaultQps, RateLimiters.DefaultBurst, options.TimeProvider))
            .Complete(Observed("tunnels", new TunnelReconciler(context, new TunnelTokenRevoker(context)), options));
        return new OperatorHost(manager, owned);
    }

    private static IReconciler<T> Observed<T>(string controller, IReconciler<T> reconciler, OperatorOptions options)
        where T : KubernetesObject =>
        options.AfterReconcile is { } hook ? new ObservedReconciler<T>(controller, reconciler, hook) : reconciler;

    public Task StartAsync(CancellationToken cancellationToken) => Manager.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Manager.StopAsync(cancellationToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then stops gracefully.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Manager.RunAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync().ConfigureAwait(false);
        _ownedAdmins?.Dispose();
    }
}
