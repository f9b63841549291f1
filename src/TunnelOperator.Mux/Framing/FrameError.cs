namespace TunnelOperator.Mux.Framing;

/// <summary>Why a header cannot be accepted; every value except <see cref="None"/> is a protocol error.</summary>
internal enum FrameError
{
    None,
    UnsupportedVersion,
    UnknownType,
    StreamFrameOnSessionId,
    SessionFrameOnStreamId,
    FrameTooLarge,
}
