namespace TunnelOperator.Mux;

/// <summary>
/// Limits and timers of one mux session. Defaults follow hashicorp/yamux's
/// <c>DefaultConfig</c> where it has one, with a larger receive window so one stream can
/// fill a fast link (the spec's 256 KiB window caps a stream at 256 KiB per round trip).
/// </summary>
public sealed record MuxOptions
{
    /// <summary>The window every stream starts with in both directions (spec.md, "Flow Control").</summary>
    public const int InitialWindow = 256 * 1024;

    public static MuxOptions Default { get; } = new();

    /// <summary>How often to ping the peer; <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> disables keepalive.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may stay unanswered before the session is declared dead.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The receive window we grant each stream, announced with the SYN or ACK as a window
    /// update of (this − 256 KiB). At least <see cref="InitialWindow"/>. It also bounds how
    /// much unread data one stream buffers, and how large an incoming Data frame may be:
    /// hashicorp/yamux sends one frame as large as its whole send window.
    /// </summary>
    public int ReceiveWindow { get; init; } = 4 * 1024 * 1024;

    /// <summary>The largest Data frame payload we send.</summary>
    public int MaxFrameSize { get; init; } = 64 * 1024;

    /// <summary>Streams open at once, both directions together. Beyond it incoming SYNs are reset and <see cref="MuxSession.OpenStreamAsync"/> fails.</summary>
    public int MaxConcurrentStreams { get; init; } = 1024;

    /// <summary>Streams the peer opened that <see cref="MuxSession.AcceptStreamAsync"/> has not taken yet; beyond it new SYNs are reset.</summary>
    public int AcceptBacklog { get; init; } = 256;

    /// <summary>After we half-close a stream, how long the peer has to half-close too before the stream is reset.</summary>
    public TimeSpan StreamCloseTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A write to the transport that does not finish within this time ends the session; zero or infinite disables it.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal bool KeepAliveEnabled => IsFinitePositive(KeepAliveInterval);

    internal void Validate()
    {
        if (ReceiveWindow < InitialWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveWindow), ReceiveWindow, $"the receive window must be at least {InitialWindow} bytes (spec.md, Flow Control)");
        }

        if (MaxFrameSize is < 1024 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, "the frame size must be between 1 KiB and 16 MiB");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentStreams, 1, nameof(MaxConcurrentStreams));
        ArgumentOutOfRangeException.ThrowIfLessThan(AcceptBacklog, 1, nameof(AcceptBacklog));
        if (KeepAliveEnabled && !IsFinitePositive(KeepAliveTimeout) && KeepAliveTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAliveTimeout), KeepAliveTimeout, "the keepalive timeout must be positive");
        }
    }

    internal static bool IsFinitePositive(TimeSpan value) => value > TimeSpan.Zero && value != Timeout.InfiniteTimeSpan;
}
