namespace TunnelOperator.Controllers.Cache;

/// <summary>
/// Receives an informer's changes after its cache holds them (client-go's
/// <c>ResourceEventHandler</c>). Calls come one at a time from the informer's loop and must not
/// block: a controller's handler only puts keys on its work queue.
/// </summary>
public interface IResourceEventHandler<in T>
{
    void OnAdd(T value);

    /// <summary>A change; on a periodic resync <paramref name="oldValue"/> and <paramref name="newValue"/> are the same object.</summary>
    void OnUpdate(T oldValue, T newValue);

    /// <summary>The last state the cache held (after a relist that no longer lists the object, that state may be old).</summary>
    void OnDelete(T value);
}
