using TunnelOperator.Kubernetes.Errors;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// controller-runtime's behaviour, made explicit:
/// <list type="bullet">
/// <item>The API server said when to come back (429 Too Many Requests, or a Status with
/// <c>retryAfterSeconds</c>): retry then.</item>
/// <item>409 Conflict: the reconcile worked from a stale read (someone else wrote in between).
/// Backoff, whose first step is 5 ms: the retry runs almost at once, by then usually on the newer
/// object from the watch; conflicts that keep coming back off like any error.</item>
/// <item>Anything else: backoff.</item>
/// </list>
/// Nothing is dropped: a fault that looks permanent may be fixed by a change elsewhere, and the
/// backoff cap (1000 s) keeps its cost low.
/// </summary>
public sealed class DefaultErrorPolicy : IErrorPolicy
{
    public static DefaultErrorPolicy Instance { get; } = new();

    public ErrorDecision Decide(Exception error, int retries) => error switch
    {
        KubernetesApiException { RetryAfter: { } after } => ErrorDecision.RetryAfter(after),
        KubernetesApiException { IsConflict: true } => ErrorDecision.Backoff,
        _ => ErrorDecision.Backoff,
    };
}
