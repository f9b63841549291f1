using System.Text.Json;
using System.Text.Json.Nodes;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>A patch body with its format. Server-side apply is not a patch here: use ApplyAsync.</summary>
public sealed record Patch
{
    private Patch(PatchType type, JsonNode body)
    {
        Type = type;
        Body = body;
    }

    public PatchType Type { get; }

    public JsonNode Body { get; }

    /// <summary>The HTTP content type that tells the server the format.</summary>
    public string ContentType => Type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        _ => throw new InvalidOperationException($"unknown patch type {Type}"),
    };

    public static Patch Merge(JsonObject body) => new(PatchType.Merge, body ?? throw new ArgumentNullException(nameof(body)));

    /// <summary>A merge patch of the fields <paramref name="partial"/> sets (nulls are left out, so they change nothing).</summary>
    public static Patch Merge<T>(T partial)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        new(PatchType.Merge, JsonSerializer.SerializeToNode(partial, T.JsonType) ?? throw new ArgumentNullException(nameof(partial)));

    public static Patch Json(JsonArray operations) => new(PatchType.Json, operations ?? throw new ArgumentNullException(nameof(operations)));

    public static Patch StrategicMerge(JsonObject body) => new(PatchType.StrategicMerge, body ?? throw new ArgumentNullException(nameof(body)));
}
