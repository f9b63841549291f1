namespace TunnelOperator.Mux.Framing;

/// <summary>The flag bits of a yamux header (spec.md, "Flags" field).</summary>
[Flags]
internal enum FrameFlags : ushort
{
    None = 0,

    /// <summary>Opens a stream; on Ping, asks for an answer.</summary>
    Syn = 1,

    /// <summary>Acknowledges a new stream; on Ping, is the answer.</summary>
    Ack = 2,

    /// <summary>Half-closes the sender's direction of a stream.</summary>
    Fin = 4,

    /// <summary>Hard-closes a stream in both directions.</summary>
    Rst = 8,
}
