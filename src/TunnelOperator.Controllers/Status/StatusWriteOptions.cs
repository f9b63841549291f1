namespace TunnelOperator.Controllers;

/// <summary>How <see cref="StatusWriter"/> writes a changed status.</summary>
public sealed record StatusWriteOptions
{
    public StatusWriteMode Mode { get; init; } = StatusWriteMode.MergePatch;

    /// <summary>
    /// Merge patch only: send the observed resourceVersion as a precondition, so a status computed
    /// from an object that changed since is refused with 409 instead of overwriting a newer truth. The
    /// conflict surfaces as an exception and the controller retries on the newer object. On by default.
    /// </summary>
    public bool OptimisticLock { get; init; } = true;

    /// <summary>Required for <see cref="StatusWriteMode.Apply"/>: the field manager owning the status fields; recorded for merge patches when set.</summary>
    public string? FieldManager { get; init; }
}
