using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Patching;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>The patch media types kube-apiserver accepts, and their application through Patching/.</summary>
internal static class Patches
{
    public const string JsonPatchType = "application/json-patch+json";
    public const string MergePatchType = "application/merge-patch+json";
    public const string StrategicPatchType = "application/strategic-merge-patch+json";
    public const string ApplyPatchType = "application/apply-patch+yaml";

    /// <summary>Custom resources have no Go types to carry patch strategies, so strategic merge is refused (415) for them.</summary>
    public static IReadOnlyList<string> Accepted(ResourceDefinition def) => def.IsCustom
        ? [JsonPatchType, MergePatchType, ApplyPatchType]
        : [JsonPatchType, MergePatchType, StrategicPatchType, ApplyPatchType];

    public static (JsonObject? Result, ApiError? Error) Apply(ResourceDefinition def, JsonObject target, string type, JsonNode? patch)
    {
        try
        {
            JsonNode? result;
            switch (type)
            {
                case JsonPatchType:
                    if (patch is not JsonArray ops)
                    {
                        return (null, ApiError.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch"));
                    }

                    result = JsonPatch.Apply(target, ops);
                    break;
                case MergePatchType:
                    result = JsonMergePatch.Apply(target, patch);
                    break;
                default:
                    result = StrategicMergePatch.Apply(target, patch, BuiltinPatchMeta.For(def.ApiVersion, def.Kind));
                    break;
            }

            return result is JsonObject obj ? (obj, null) : (null, ApiError.BadRequest("the patch did not produce an object"));
        }
        catch (PatchException e)
        {
            return (null, new ApiError(422, "Invalid", e.Message));
        }
    }
}
