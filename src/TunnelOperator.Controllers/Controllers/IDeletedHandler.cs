namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// Optional: called when a key is processed whose object is no longer in the cache. Prefer a
/// finalizer (<see cref="Finalizers"/>): this hook runs only if the process sees the
/// deletion, and never for objects deleted while no replica was running. Good for dropping in-memory
/// state kept per object. Failures are retried like reconciles.
/// </summary>
public interface IDeletedHandler
{
    Task OnDeletedAsync(ObjectKey key, CancellationToken cancellationToken);
}
