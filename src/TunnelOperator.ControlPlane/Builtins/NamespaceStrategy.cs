using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// core/v1 Namespace: created Active with the <c>kubernetes</c> finalizer in spec.finalizers; deletion
/// turns it Terminating until the namespace controller has emptied it and cleared that finalizer.
/// </summary>
internal sealed class NamespaceStrategy : ResourceStrategy
{
    public const string KubernetesFinalizer = "kubernetes";

    public override void PrepareForCreate(JsonObject obj, ResourceDefinition def)
    {
        obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray(KubernetesFinalizer) };
        obj["status"] = new JsonObject { ["phase"] = "Active" };
        SetNameLabel(obj);
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceDefinition def)
    {
        // spec.finalizers change only through /finalize; status through /status.
        obj["spec"] = old["spec"]?.DeepClone() ?? new JsonObject();
        SetNameLabel(obj);
    }

    // Since 1.21 every namespace carries an immutable label with its own name, for namespace selectors.
    private static void SetNameLabel(JsonObject obj)
    {
        var meta = Meta.Metadata(obj);
        if (meta["labels"] is not JsonObject labels)
        {
            labels = new JsonObject();
            meta["labels"] = labels;
        }

        labels["kubernetes.io/metadata.name"] = Meta.Name(obj);
    }

    public override void PrepareForDelete(JsonObject obj, ResourceDefinition def)
    {
        obj["status"] = new JsonObject { ["phase"] = "Terminating" };
    }

    public override bool CanBeRemoved(JsonObject obj) =>
        Meta.Finalizers(obj).Count == 0 && obj["spec"]?["finalizers"] is not JsonArray { Count: > 0 };

    public override string? SelectableField(JsonObject obj, string field) => field switch
    {
        "status.phase" => Meta.Str(obj["status"]?["phase"]) ?? "",
        _ => null,
    };
}
