using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>The query parameters that shape a write (CreateOptions/UpdateOptions/PatchOptions).</summary>
internal sealed record WriteOptions
{
    public bool DryRun { get; init; }

    /// <summary>Never empty by the time a write runs: the request's fieldManager or one derived from its User-Agent.</summary>
    public string FieldManager { get; init; } = "unknown";

    /// <summary>kube-apiserver's default when the client sends none is Warn.</summary>
    public FieldValidation Validation { get; init; } = FieldValidation.Warn;

    /// <summary>"status" or "scale" for subresource writes.</summary>
    public string? Subresource { get; init; }

    /// <summary>Server-side apply: take ownership of conflicting fields.</summary>
    public bool Force { get; init; }
}

/// <summary>The result of a verb: the object (or Status-worthy error), what the store did, and warnings for the response.</summary>
internal sealed record WriteOutcome(JsonObject? Object, ApiError? Error, MutationKind Kind, IReadOnlyList<string> Warnings)
{
    public bool Created { get; init; }

    public static WriteOutcome Failed(ApiError error, IReadOnlyList<string>? warnings = null) => new(null, error, MutationKind.Fail, warnings ?? []);
}
