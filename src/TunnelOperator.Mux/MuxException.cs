namespace TunnelOperator.Mux;

/// <summary>
/// A mux session or stream can no longer do what was asked: the session ended or is going
/// away, a stream was reset, a limit was reached. It is an <see cref="IOException"/> so code
/// that handles broken connections handles it too.
/// </summary>
public sealed class MuxException : IOException
{
    public MuxException()
        : base("mux session error")
    {
    }

    public MuxException(string message)
        : base(message)
    {
    }

    public MuxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
