using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>
/// The outcome of an apply: the object to store with metadata.managedFields updated, or (Object null) the
/// conflicts that refused it. When the apply changed nothing at all, Object is a byte-identical copy of the live
/// object (<see cref="Changed"/> false) and the server can skip the write.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The contract's name for the applied object.")]
public sealed record ApplyResult(JsonObject? Object, IReadOnlyList<ApplyConflict> Conflicts)
{
    /// <summary>False when Object equals the live object, managedFields included.</summary>
    public bool Changed { get; init; } = true;
}
