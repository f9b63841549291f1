namespace TunnelOperator.Controllers;

/// <summary>What <see cref="Finalizers.EnsureAsync{T}"/> did, and so whether the reconcile goes on.</summary>
public enum FinalizerAction
{
    /// <summary>Not being deleted, finalizer in place: reconcile as usual.</summary>
    Continue,

    /// <summary>
    /// The finalizer was just added. Return now: the object changed (its resourceVersion moved), and
    /// that change queues it again, so the next reconcile works on the object as it is now.
    /// </summary>
    Added,

    /// <summary>Being deleted: the cleanup ran and the finalizer was removed (or the object is gone). Return.</summary>
    Finalized,

    /// <summary>Being deleted without our finalizer (cleaned up before, or never added): nothing to do. Return.</summary>
    NotOurs,
}
