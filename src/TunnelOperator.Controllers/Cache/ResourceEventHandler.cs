namespace TunnelOperator.Controllers.Cache;

/// <summary>An <see cref="IResourceEventHandler{T}"/> from delegates; unset ones ignore their change.</summary>
public sealed class ResourceEventHandler<T> : IResourceEventHandler<T>
{
    public Action<T>? Added { get; init; }

    public Action<T, T>? Updated { get; init; }

    public Action<T>? Deleted { get; init; }

    public void OnAdd(T value) => Added?.Invoke(value);

    public void OnUpdate(T oldValue, T newValue) => Updated?.Invoke(oldValue, newValue);

    public void OnDelete(T value) => Deleted?.Invoke(value);
}
