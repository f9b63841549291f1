using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Apply;
using TunnelOperator.ControlPlane.Builtins;
using TunnelOperator.ControlPlane.Patching;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>
/// The server's use of server-side apply (Apply/): every write records its manager's fields in
/// <c>metadata.managedFields</c>; apply patches merge by ownership and report conflicts. The type shape
/// comes from the CRD's structural schema or the built-in patch metadata; with a status subresource the
/// main resource never owns <c>.status</c> and the status subresource never owns spec or metadata (the
/// strategies' reset fields).
/// </summary>
internal static class FieldManagement
{
    private static readonly FieldSet StatusOnly = FieldSet.FromPaths([[PathElement.Field("status")]]);
    private static readonly FieldSet AllButStatus = FieldSet.FromPaths([[PathElement.Field("spec")], [PathElement.Field("metadata")]]);

    public static ITypeShape Shape(ResourceDefinition def) =>
        def.Strategy is CustomResourceStrategy custom
            ? custom.Schema is { } schema ? TypeShapes.For(schema) : TypeShapes.Deduced
            : TypeShapes.For(BuiltinPatchMeta.For(def.ApiVersion, def.Kind));

    private static FieldSet? ResetFields(ResourceDefinition def, string? subresource) =>
        !def.HasStatus ? null : subresource == "status" ? AllButStatus : StatusOnly;

    public static void RecordUpdate(JsonObject? before, JsonObject after, string manager, ResourceDefinition def, DateTimeOffset now, string? subresource) =>
        ServerSideApply.RecordUpdate(before, after, manager, Shape(def), now, subresource, ResetFields(def, subresource));

    /// <summary>The merged object, or the conflicts (when not forced), or a 400 for a malformed configuration.</summary>
    public static (JsonObject? Object, IReadOnlyList<ApplyConflict> Conflicts, ApiError? Error) Apply(
        JsonObject? live, JsonObject applied, string manager, bool force, ResourceDefinition def, DateTimeOffset now, string? subresource)
    {
        try
        {
            var result = ServerSideApply.Apply(live, applied, manager, force, Shape(def), now, subresource, ResetFields(def, subresource));
            return (result.Object, result.Conflicts, null);
        }
        catch (PatchException e)
        {
            return (null, [], ApiError.BadRequest(e.Message));
        }
    }
}
