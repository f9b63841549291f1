using System.Net;

namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>
/// The edge's admin API could not be reached or refused a call. <see cref="Unreachable"/> faults
/// (connection refused, timeouts, 5xx) are expected while an edge starts or moves, and are retried;
/// messages never carry the admin token.
/// </summary>
internal sealed class EdgeAdminException(string message, HttpStatusCode? status, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status the edge answered, or null when there was no answer.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>No answer, or a server-side failure.</summary>
    public bool Unreachable => Status is null || (int)Status >= 500;

    public bool IsConflict => Status == HttpStatusCode.Conflict;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;
}
