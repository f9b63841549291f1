namespace TunnelOperator.Store;

/// <summary>
/// The database could not be reached (or refused us). Thrown by the store methods that return
/// plain values; the result-returning methods report <see cref="StoreError.Unavailable"/> instead.
/// The message names the database (never its password) and what to check.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : base("the store's database is unavailable")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
