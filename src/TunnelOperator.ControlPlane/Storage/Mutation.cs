using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Storage;

internal enum MutationKind
{
    NoChange,
    Put,
    Delete,
    Fail,
}

/// <summary>
/// What a read-modify-write step decided, given the current stored object (as etcd3's
/// <c>GuaranteedUpdate</c> tryUpdate function does): keep it, write a new state, delete it, or fail.
/// </summary>
internal readonly record struct Mutation(MutationKind Kind, JsonObject? Object, ApiError? Error)
{
    public static Mutation NoChange(JsonObject? current) => new(MutationKind.NoChange, current, null);

    public static Mutation Put(JsonObject next) => new(MutationKind.Put, next, null);

    /// <summary>Removes the object; <paramref name="finalState"/> is what the DELETED event carries (default: the stored state).</summary>
    public static Mutation Delete(JsonObject? finalState = null) => new(MutationKind.Delete, finalState, null);

    public static Mutation Fail(ApiError error) => new(MutationKind.Fail, null, error);

    public static implicit operator Mutation(ApiError error) => Fail(error);
}

/// <summary>The outcome of a write: the resulting object (for a delete, the deleted state) or an error.</summary>
internal readonly record struct StoreResult(JsonObject? Object, ApiError? Error, MutationKind Kind)
{
    public bool Succeeded => Error is null;

    public static StoreResult Failed(ApiError error) => new(null, error, MutationKind.Fail);
}
