using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// meta.k8s.io/v1 Table responses (what <c>kubectl get</c> prints), built by Tables/TableBuilder with the
/// kind's columns: BuiltinColumns for built-ins, additionalPrinterColumns for custom resources.
/// </summary>
internal static class Tables
{
    /// <summary>The Table for these objects, or null when no Table can be built (the caller answers with plain JSON).</summary>
    public static JsonObject? Table(ResourceDefinition def, IReadOnlyList<JsonObject> objects, string? listResourceVersion, string includeObject, DateTimeOffset now)
    {
        // PENDING Tables/TableBuilder: until it lands, clients get the objects themselves.
        _ = (def, objects, listResourceVersion, includeObject, now);
        return null;
    }
}
