namespace TunnelOperator.Mux;

/// <summary>The reason codes a GoAway frame carries in its length field (spec.md, "Go Away Type").</summary>
public enum MuxGoAwayCode : uint
{
    /// <summary>Orderly shutdown: no new streams, existing ones finish.</summary>
    Normal = 0,

    /// <summary>The sender saw a frame that breaks the protocol; it closes the session.</summary>
    ProtocolError = 1,

    /// <summary>The sender failed internally; it closes the session.</summary>
    InternalError = 2,
}
