using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>
/// The server's use of server-side apply (Apply/): every write records its manager's fields in
/// <c>metadata.managedFields</c>; apply patches merge by ownership and report conflicts.
/// </summary>
internal static class FieldManagement
{
    public static void RecordUpdate(JsonObject? before, JsonObject after, string manager, ResourceDefinition def, DateTimeOffset now, string? subresource)
    {
        // PENDING Apply/ServerSideApply: managedFields are kept as they are until it lands.
        _ = (before, after, manager, def, now, subresource);
    }

    public static (JsonObject? Object, IReadOnlyList<(string Manager, string Field)> Conflicts) Apply(
        JsonObject? live, JsonObject applied, string manager, bool force, ResourceDefinition def, DateTimeOffset now, string? subresource)
    {
        _ = (manager, force, def, now, subresource);
        var result = live?.DeepClone().AsObject() ?? new JsonObject();
        Merge(result, applied);
        return (result, []);
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (k, v) in patch)
        {
            if (v is JsonObject po && target[k] is JsonObject to)
            {
                Merge(to, po);
            }
            else
            {
                target[k] = v?.DeepClone();
            }
        }
    }
}
