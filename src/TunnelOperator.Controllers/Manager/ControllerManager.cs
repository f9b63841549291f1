using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Controllers.Cache;
using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Controllers.Events;
using TunnelOperator.Controllers.Leadership;
using TunnelOperator.Controllers.Metrics;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Telemetry;

namespace TunnelOperator.Controllers.Manager;

/// <summary>
/// Runs an operator's controllers (controller-runtime's manager): it owns the API client's shared
/// informers, the controllers, leader election, the event recorders and the probe and metrics
/// endpoints.
/// <list type="number">
/// <item><see cref="StartAsync"/>: serve the endpoints, start the informers (on every replica, so
/// a new leader starts with a warm cache), then campaign for the lease (if configured) and run the
/// controllers while leading. Losing the lease stops them at once; the manager then campaigns again
/// and a new term starts from a full resync.</item>
/// <item><see cref="StopAsync"/>: controllers stop taking keys, reconciles in flight get
/// <see cref="ControllerManagerOptions.GracefulShutdownTimeout"/>, then the lease is released (the
/// next replica takes over at once), events are flushed, informers and endpoints stop.</item>
/// </list>
/// </summary>
public sealed partial class ControllerManager : IAsyncDisposable
{
    private readonly ControllerManagerOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly ControllerMetrics _metrics;
    private readonly PrometheusExporter _exporter;
    private readonly ControllerHost _host;
    private readonly List<IController> _controllers = [];
    private readonly List<EventRecorder> _recorders = [];
    private readonly List<(string Name, Func<bool> Check)> _healthChecks = [];
    private readonly List<(string Name, Func<bool> Check)> _readyChecks = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _campaign = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _lock = new();
    private ManagerEndpoints? _endpoints;
    private Task? _leading;
    private Task? _term;
    private int _state; // 0 new, 1 started, 2 stopped

    public ControllerManager(IKubernetesClient client, ControllerManagerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options ?? new ControllerManagerOptions();
        _loggers = _options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("TunnelOperator.Controllers.Manager");
        Client = client;
        Cache = new InformerCache(client, _options.Cache with { TimeProvider = _options.TimeProvider, LoggerFactory = _options.LoggerFactory });
        _meter = new Meter(ControllerMetrics.MeterName);
        _metrics = ControllerMetrics.For(_meter);
        _exporter = new PrometheusExporter(m => ReferenceEquals(m, _meter));
        if (_options.LeaderElection is { } election)
        {
            LeaderElector = new LeaderElector(client, election, _options.TimeProvider, _loggers);
        }

        _meter.CreateObservableGauge("tunneloperator_leader_is_leader",
            () => new Measurement<int>(IsLeader ? 1 : 0, new KeyValuePair<string, object?>("name", _options.LeaderElection?.LeaseName ?? _options.Name)),
            description: "1 while this replica leads (runs its controllers), else 0.");
        _host = new ControllerHost(Cache, _metrics, _options.TimeProvider, _loggers, _options.GracefulShutdownTimeout, Register);
    }

    public IKubernetesClient Client { get; }

    /// <summary>The shared informers: reconcilers read through it (never the API) for watched kinds.</summary>
    public InformerCache Cache { get; }

    /// <summary>The lease campaign, when leader election is configured.</summary>
    public LeaderElector? LeaderElector { get; }

    /// <summary>The meter of every series of this manager (select it by instance in an exporter of your own).</summary>
    public Meter Meter => _meter;

    /// <summary>Whether the controllers run here: leading the lease, or started without leader election.</summary>
    public bool IsLeader => LeaderElector?.IsLeader ?? Volatile.Read(ref _state) == 1;

    /// <summary><c>http://host:port</c> of <c>/healthz</c> and <c>/readyz</c> once started, if configured.</summary>
    public Uri? HealthProbeUrl => _endpoints?.HealthProbeUrl;

    /// <summary><c>http://host:port</c> of <c>/metrics</c> once started, if configured.</summary>
    public Uri? MetricsUrl => _endpoints?.MetricsUrl;

    /// <summary>Starts building a controller; <c>Complete</c> hands it to this manager. Only before <see cref="StartAsync"/>.</summary>
    public ControllerBuilder NewController(string name) => new(_host, name);

    /// <summary>An event recorder reporting as <paramref name="component"/> (flushed when the manager stops).</summary>
    public EventRecorder GetEventRecorder(string component)
    {
        var recorder = new EventRecorder(Client, new EventRecorderOptions
        {
            Component = component,
            Instance = _options.LeaderElection?.Identity ?? Environment.MachineName,
            TimeProvider = _options.TimeProvider,
            LoggerFactory = _options.LoggerFactory,
            Meter = _meter,
        });
        lock (_lock)
        {
            _recorders.Add(recorder);
        }

        return recorder;
    }

    /// <summary>Adds a liveness check to <c>/healthz</c> (it must be fast and never block).</summary>
    public void AddHealthCheck(string name, Func<bool> check)
    {
        lock (_lock)
        {
            _healthChecks.Add((name, check ?? throw new ArgumentNullException(nameof(check))));
        }
    }

    /// <summary>Adds a readiness check to <c>/readyz</c>, besides the informers having synced.</summary>
    public void AddReadyCheck(string name, Func<bool> check)
    {
        lock (_lock)
        {
            _readyChecks.Add((name, check ?? throw new ArgumentNullException(nameof(check))));
        }
    }

    /// <summary>The Prometheus text of this manager's series, as <c>/metrics</c> serves it.</summary>
    public string RenderMetrics() => _exporter.Render();

    /// <summary>Starts, runs until <paramref name="cancellationToken"/> is cancelled, then stops gracefully.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private void Register(IController controller)
    {
        lock (_lock)
        {
            if (_state != 0)
            {
                throw new InvalidOperationException("controllers are added before the manager starts");
            }

            if (_controllers.Any(c => c.Name == controller.Name))
            {
                throw new InvalidOperationException($"a controller named '{controller.Name}' exists already (names label the metrics)");
            }

            _controllers.Add(controller);
        }
    }
}
