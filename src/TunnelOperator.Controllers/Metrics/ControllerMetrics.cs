using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace TunnelOperator.Controllers.Metrics;

/// <summary>
/// The runtime's instruments, named like controller-runtime's series with our prefix
/// (<c>controller_runtime_reconcile_total</c> → <c>tunneloperator_reconcile_total</c>, client-go's
/// <c>workqueue_depth</c> → <c>tunneloperator_workqueue_depth</c>), so existing dashboards and alerts
/// translate by renaming. One set per <see cref="Meter"/>: queues and controllers of a manager share it.
/// </summary>
internal sealed class ControllerMetrics
{
    /// <summary>The meter name; exporters select the manager's meter by instance, so managers in one process stay apart.</summary>
    public const string MeterName = "TunnelOperator.Controllers";

    // controller-runtime's reconcile-time buckets, extended to a minute: reconciles that wait on
    // the API server sit in the 5 ms–1 s range, stuck ones show up in the long tail.
    private static readonly IReadOnlyList<double> ReconcileBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

    // client-go's workqueue latency buckets: 1 µs to 10 s, by decades.
    private static readonly IReadOnlyList<double> QueueBuckets = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

    private static readonly ConditionalWeakTable<Meter, ControllerMetrics> PerMeter = [];

    private ControllerMetrics(Meter meter)
    {
        Meter = meter;
        ReconcileTotal = meter.CreateCounter<long>("tunneloperator_reconcile_total", description: "Reconciles per controller and result (success, error, requeue_after).");
        ReconcileErrors = meter.CreateCounter<long>("tunneloperator_reconcile_errors_total", description: "Reconciles that failed with an exception, per controller.");
        ReconcileTime = meter.CreateHistogram("tunneloperator_reconcile_time_seconds", "s", "Time per reconcile, per controller.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ReconcileBuckets });
        ActiveWorkers = meter.CreateUpDownCounter<long>("tunneloperator_active_workers", description: "Reconciles running now, per controller.");
        QueueDepth = meter.CreateUpDownCounter<long>("tunneloperator_workqueue_depth", description: "Keys waiting in the work queue (not counting delayed ones), per queue.");
        QueueAdds = meter.CreateCounter<long>("tunneloperator_workqueue_adds_total", description: "Keys added to the work queue (duplicates of a waiting key are not counted), per queue.");
        QueueRetries = meter.CreateCounter<long>("tunneloperator_workqueue_retries_total", description: "Rate-limited re-adds (retries after a failure), per queue.");
        QueueDuration = meter.CreateHistogram("tunneloperator_workqueue_queue_duration_seconds", "s", "How long a key waits in the queue before a worker takes it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });
        WorkDuration = meter.CreateHistogram("tunneloperator_workqueue_work_duration_seconds", "s", "How long a worker holds a key (take to done).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });
        EventsDropped = meter.CreateCounter<long>("tunneloperator_events_dropped_total", description: "Kubernetes Events dropped because the recorder's queue was full.");
    }

    public Meter Meter { get; }

    public Counter<long> ReconcileTotal { get; }

    public Counter<long> ReconcileErrors { get; }

    public Histogram<double> ReconcileTime { get; }

    public UpDownCounter<long> ActiveWorkers { get; }

    public UpDownCounter<long> QueueDepth { get; }

    public Counter<long> QueueAdds { get; }

    public Counter<long> QueueRetries { get; }

    public Histogram<double> QueueDuration { get; }

    public Histogram<double> WorkDuration { get; }

    public Counter<long> EventsDropped { get; }

    /// <summary>The instruments on <paramref name="meter"/>, created once per meter.</summary>
    public static ControllerMetrics For(Meter meter) => PerMeter.GetValue(meter, static m => new ControllerMetrics(m));

    /// <summary>Instruments on a meter of their own, for a queue or recorder used without a manager.</summary>
    public static ControllerMetrics Detached() => For(new Meter(MeterName));
}
