namespace TunnelOperator.Controllers.Controllers;

/// <summary>What the manager runs: a controller of any kind.</summary>
internal interface IController
{
    string Name { get; }

    /// <summary>
    /// One term of work (while leading): waits for the caches, queues every primary object, runs the
    /// workers. <paramref name="stopping"/> asks for a graceful end (no new keys, in-flight reconciles
    /// finish within the grace period); <paramref name="abort"/> cancels in-flight reconciles at once.
    /// </summary>
    Task RunAsync(CancellationToken stopping, CancellationToken abort);
}
