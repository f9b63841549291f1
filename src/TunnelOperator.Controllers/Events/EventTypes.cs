namespace TunnelOperator.Controllers.Events;

/// <summary>The two event types the API knows (core/v1 Event <c>type</c>).</summary>
public static class EventTypes
{
    /// <summary>Something worth knowing happened as expected.</summary>
    public const string Normal = "Normal";

    /// <summary>Something went wrong or needs attention; <c>kubectl get events --field-selector type=Warning</c> finds these.</summary>
    public const string Warning = "Warning";
}
