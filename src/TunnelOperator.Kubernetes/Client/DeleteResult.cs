using System.Diagnostics.CodeAnalysis;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>The result of a delete: whether the object is gone, still going, or was gone already.</summary>
public sealed record DeleteResult<T>
    where T : class
{
    public required DeleteOutcome Outcome { get; init; }

    /// <summary>The object as it is now, while deletion is <see cref="DeleteOutcome.Pending"/>; else null.</summary>
    [SuppressMessage("Naming", "CA1720", Justification = "Names what it holds, as WatchEvent.Object does.")]
    public T? Object { get; init; }

    /// <summary>True when the object did not exist at the time of the call.</summary>
    public bool WasAlreadyGone => Outcome == DeleteOutcome.AlreadyGone;
}
