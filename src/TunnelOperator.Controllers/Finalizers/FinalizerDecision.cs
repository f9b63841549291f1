namespace TunnelOperator.Controllers;

/// <summary>What an object's state calls for, before anything is written (pure, see <see cref="Finalizers.Decide"/>).</summary>
public enum FinalizerDecision
{
    /// <summary>Live and finalized already.</summary>
    None,

    /// <summary>Live without the finalizer: add it before creating anything that would need cleaning up.</summary>
    Add,

    /// <summary>Deleting with the finalizer: clean up, then remove it.</summary>
    Cleanup,

    /// <summary>Deleting without the finalizer.</summary>
    Ignore,
}
