using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A report of something that happened to an object (core/v1 Event), shown by <c>kubectl describe</c>.</summary>
public sealed record Event : KubernetesObject, IKubernetesEntity<Event>
{
    public Event()
    {
        ApiVersion = Resource.ApiVersion;
        Kind = Resource.Kind;
    }

    public static ResourceType Resource { get; } = new("", "v1", "Event", "events", Namespaced: true);

    public static JsonTypeInfo<Event> JsonType => KubernetesJsonContext.Default.Event;

    public static JsonTypeInfo<KubernetesList<Event>> ListJsonType => KubernetesJsonContext.Default.KubernetesListEvent;

    /// <summary>The object the event is about.</summary>
    public required ObjectReference InvolvedObject { get; init; }

    /// <summary>PascalCase, machine-readable: why the event happened.</summary>
    public string? Reason { get; init; }

    /// <summary>For humans; at most 1 KiB is kept.</summary>
    public string? Message { get; init; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; init; }

    /// <summary>How many times this event was seen; the recorder bumps it instead of creating duplicates.</summary>
    public int? Count { get; init; }

    public DateTimeOffset? FirstTimestamp { get; init; }

    public DateTimeOffset? LastTimestamp { get; init; }

    public EventSource? Source { get; init; }

    /// <summary>E.g. <c>tunneloperator.io/operator</c>.</summary>
    public string? ReportingComponent { get; init; }

    /// <summary>E.g. the pod name of the operator replica.</summary>
    public string? ReportingInstance { get; init; }

    /// <summary>MicroTime; set by events.k8s.io writers, null from the older core recorder.</summary>
    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>What was done, or failed, e.g. <c>Reconcile</c>.</summary>
    public string? Action { get; init; }

    /// <summary>A second object, e.g. the pod an event about a deployment concerns.</summary>
    public ObjectReference? Related { get; init; }

    public EventSeries? Series { get; init; }
}
