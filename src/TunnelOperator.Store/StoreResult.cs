using System.Diagnostics.CodeAnalysis;

namespace TunnelOperator.Store;

/// <summary>
/// The outcome of a store write: a value, or an expected failure with a message meant for the
/// person who asked (it says what is wrong and what to do instead).
/// </summary>
public sealed class StoreResult<T>
{
    private StoreResult(bool ok, T? value, StoreError error, string? message)
    {
        Ok = ok;
        Value = value;
        Error = error;
        Message = message;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Message))]
    public bool Ok { get; }

    public T? Value { get; }

    public StoreError Error { get; }

    public string? Message { get; }

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "StoreResult<UserRecord>.Success(...) reads as intended at the few call sites.")]
    public static StoreResult<T> Success(T value) => new(true, value, StoreError.None, null);

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "See Success.")]
    public static StoreResult<T> Failure(StoreError error, string message)
    {
        if (error == StoreError.None)
        {
            throw new ArgumentException("a failure needs a StoreError other than None", nameof(error));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(false, default, error, message);
    }

    public override string ToString() => Ok ? $"Ok({Value})" : $"{Error}: {Message}";
}
