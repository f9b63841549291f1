namespace TunnelOperator.Kubernetes.Client;

/// <summary>What a delete call found and did.</summary>
public enum DeleteOutcome
{
    /// <summary>The object is gone (the server answered with a Success Status).</summary>
    Deleted,

    /// <summary>
    /// Deletion started but the object still exists, with a deletionTimestamp: finalizers, a grace
    /// period or foreground deletion hold it. The object is in <see cref="DeleteResult{T}.Object"/>.
    /// </summary>
    Pending,

    /// <summary>There was nothing to delete (404): it was gone already.</summary>
    AlreadyGone,
}
