namespace TunnelOperator.Mux.Framing;

/// <summary>The message types of yamux (spec.md, "Type" field).</summary>
internal enum FrameType : byte
{
    /// <summary>Stream data; the length field is the payload size.</summary>
    Data = 0,

    /// <summary>Grants send window; the length field is the delta. Also carries SYN/ACK/FIN/RST without data.</summary>
    WindowUpdate = 1,

    /// <summary>Keepalive and round-trip measurement on stream 0; the length field is an opaque value echoed back.</summary>
    Ping = 2,

    /// <summary>Ends the session's willingness to create streams, on stream 0; the length field is the reason code.</summary>
    GoAway = 3,
}
