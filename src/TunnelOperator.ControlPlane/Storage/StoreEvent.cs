using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Storage;

internal enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One committed change. <see cref="Object"/> is the stored state after the change (for a delete: the
/// last state, carrying the deletion's resourceVersion, as watch DELETED events do); <see cref="Previous"/>
/// lets filtered watches turn a change that leaves or enters their selector into DELETED or ADDED.
/// Objects here are shared and must not be mutated.
/// </summary>
internal sealed record StoreEvent(StoreEventType Type, ResourceKey Key, string Namespace, string Name, JsonObject Object, JsonObject? Previous, long ResourceVersion)
{
    public string TypeName => Type switch
    {
        StoreEventType.Added => "ADDED",
        StoreEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
