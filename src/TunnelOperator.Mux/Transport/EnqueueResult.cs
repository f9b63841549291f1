namespace TunnelOperator.Mux.Transport;

/// <summary>What happened to a queued control frame.</summary>
internal enum EnqueueResult
{
    Queued,
    Closed,
    Overflow,
}
