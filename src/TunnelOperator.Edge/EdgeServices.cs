using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Forwards;
using TunnelOperator.Edge.Routing;
using TunnelOperator.Edge.Sessions;
using TunnelOperator.Store;

namespace TunnelOperator.Edge;

/// <summary>The shared parts of a running edge, handed to the components that need them.</summary>
public sealed class EdgeServices(EdgeOptions options, TunnelStore store, ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    public EdgeOptions Options { get; internal set; } = options;
    public TunnelStore Store { get; } = store;
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
    public TimeProvider Time { get; } = timeProvider;
    public TunnelRegistry Registry { get; } = new();
    public SessionRegistry Sessions { get; } = new();
    internal ForwardServerRegistry Forwards { get; } = new();
    public HostRouting HostRouting { get; } = new(options.BaseHost);

    /// <summary>Draws random subdomain candidates; tests replace it to force a collision.</summary>
    public Func<string> RandomSubdomain { get; set; } = Routing.RandomSubdomains.Next;
    public EdgeMetrics Metrics => _metrics ??= new EdgeMetrics(Registry);
    public Tenants.L4Services L4 => LazyInitializer.EnsureInitialized(ref _l4, () => new Tenants.L4Services(this));

    private Tenants.L4Services? _l4;

    private EdgeMetrics? _metrics;
}
