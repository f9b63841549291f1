namespace TunnelOperator.Controllers.Cache;

/// <summary>What one cache mutation did, to be told to the handlers.</summary>
internal readonly record struct InformerChange<T>(InformerChangeType Type, T? Old, T? New)
    where T : class
{
    public static InformerChange<T> Added(T value) => new(InformerChangeType.Added, null, value);

    public static InformerChange<T> Updated(T old, T value) => new(InformerChangeType.Updated, old, value);

    public static InformerChange<T> Deleted(T old) => new(InformerChangeType.Deleted, old, null);
}

internal enum InformerChangeType
{
    Added,
    Updated,
    Deleted,
}
