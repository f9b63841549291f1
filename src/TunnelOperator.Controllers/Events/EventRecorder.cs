using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Controllers.Metrics;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Events;

/// <summary>
/// Writes core/v1 Events in the background: <see cref="Record"/> puts the event on a bounded queue
/// and returns; one writer creates new Events and patches the count and lastTimestamp of repeated
/// ones (<see cref="EventCorrelator"/>). When the queue is full the event is dropped and counted
/// (<see cref="Dropped"/>, <c>tunneloperator_events_dropped_total</c>): events are advisory, and a
/// reconcile must never wait on them.
/// </summary>
public sealed class EventRecorder : IEventRecorder, IAsyncDisposable
{
    // The API keeps at most 1 KiB of message for people; longer ones are cut rather than refused.
    private const int MaxMessageLength = 1024;

    private readonly IKubernetesClient _client;
    private readonly EventRecorderOptions _options;
    private readonly Channel<Occurrence> _queue;
    private readonly EventCorrelator _correlator;
    private readonly ILogger _logger;
    private readonly ControllerMetrics _metrics;
    private readonly Task _writer;
    private long _dropped;
    private long _written;

    public EventRecorder(IKubernetesClient client, EventRecorderOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Component);
        _client = client;
        _options = options;
        _queue = Channel.CreateBounded<Occurrence>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails when full, which is how a drop is noticed
            SingleReader = true,
        });
        _correlator = new EventCorrelator(options.CorrelationCacheSize, options.CorrelationWindow);
        _logger = (ILogger?)options.LoggerFactory?.CreateLogger("TunnelOperator.Controllers.EventRecorder") ?? NullLogger.Instance;
        _metrics = options.Meter is { } meter ? ControllerMetrics.For(meter) : ControllerMetrics.Detached();
        _writer = Task.Run(WriteAllAsync);
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Creates and patches that reached the API server.</summary>
    public long Written => Interlocked.Read(ref _written);

    public void Record(ObjectReference involvedObject, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(involvedObject);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (type is not (EventTypes.Normal or EventTypes.Warning))
        {
            throw new ArgumentException($"event type '{type}' is not Normal or Warning", nameof(type));
        }

        message ??= "";
        var occurrence = new Occurrence(involvedObject, type, reason, message.Length > MaxMessageLength ? message[..MaxMessageLength] : message, _options.TimeProvider.GetUtcNow());
        if (!_queue.Writer.TryWrite(occurrence))
        {
            Interlocked.Increment(ref _dropped);
            _metrics.EventsDropped.Add(1);
            EventRecorderLog.Dropped(_logger, _options.QueueCapacity, reason, involvedObject.Kind, involvedObject.Namespace, involvedObject.Name);
        }
    }

    /// <summary>Stops taking events and writes those already queued (bounded by <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _options.TimeProvider);
        try
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Events are advisory: what could not be written in time is left behind.
        }
    }

    private async Task WriteAllAsync()
    {
        await foreach (var occurrence in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await WriteAsync(occurrence).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
            }
            catch (Exception e)
            {
                EventRecorderLog.WriteFailed(_logger, e, occurrence.Reason, occurrence.Involved.Kind, occurrence.Involved.Namespace, occurrence.Involved.Name);
            }
        }
    }

    private async Task WriteAsync(Occurrence o)
    {
        var plan = _correlator.Correlate(o.Involved, o.Type, o.Reason, o.Message, o.Time);
        if (!plan.IsNew)
        {
            try
            {
                await _client.Resource<Event>(plan.Namespace).PatchAsync(plan.Name, Patch.Merge(new JsonObject
                {
                    ["count"] = plan.Count,
                    ["lastTimestamp"] = Rfc3339(plan.LastTimestamp),
                    ["message"] = o.Message,
                })).ConfigureAwait(false);
                return;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                // The Event expired (the API server keeps them an hour) or was deleted: a new one.
                plan = _correlator.Restart(o.Involved, o.Type, o.Reason, o.Message, o.Time);
            }
        }

        await _client.Resource<Event>(plan.Namespace).CreateAsync(new Event
        {
            Metadata = new ObjectMeta { Name = plan.Name, Namespace = plan.Namespace },
            InvolvedObject = o.Involved,
            Reason = o.Reason,
            Message = o.Message,
            Type = o.Type,
            Count = plan.Count,
            FirstTimestamp = plan.FirstTimestamp,
            LastTimestamp = plan.LastTimestamp,
            Source = new EventSource { Component = _options.Component, Host = _options.Instance },
            ReportingComponent = _options.Component,
            ReportingInstance = _options.Instance,
        }).ConfigureAwait(false);
    }

    private static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record Occurrence(ObjectReference Involved, string Type, string Reason, string Message, DateTimeOffset Time);
}
