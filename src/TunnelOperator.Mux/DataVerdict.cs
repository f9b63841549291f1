namespace TunnelOperator.Mux;

/// <summary>What a stream makes of an incoming Data frame before its payload is read.</summary>
internal enum DataVerdict
{
    /// <summary>Within the window: the payload is buffered for the reader.</summary>
    Accept,

    /// <summary>We reset or dropped the stream; the payload is read and thrown away.</summary>
    Discard,

    /// <summary>Data after the peer's FIN: a protocol error.</summary>
    AfterFin,

    /// <summary>More data than the window we granted: a protocol error.</summary>
    WindowExceeded,
}
