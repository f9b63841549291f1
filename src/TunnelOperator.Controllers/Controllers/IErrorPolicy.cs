namespace TunnelOperator.Controllers.Controllers;

/// <summary>
/// Decides what a failed reconcile leads to (kube-rs's <c>error_policy</c>): backoff, a retry at a
/// time the server named, or giving up on the key until its object changes again.
/// </summary>
public interface IErrorPolicy
{
    /// <param name="error">What the reconciler (or deleted handler) threw.</param>
    /// <param name="retries">How many times this key failed in a row before.</param>
    ErrorDecision Decide(Exception error, int retries);
}
