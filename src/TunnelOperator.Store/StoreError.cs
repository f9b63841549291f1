namespace TunnelOperator.Store;

/// <summary>Why a store operation did not succeed; the failures callers are expected to handle.</summary>
public enum StoreError
{
    None,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    Conflict,
    Unavailable,
}
