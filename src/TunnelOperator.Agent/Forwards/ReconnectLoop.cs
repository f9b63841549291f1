using TunnelOperator.Agent.Connection;

namespace TunnelOperator.Agent.Forwards;

/// <summary>
/// Runs connection attempts one after another, waiting with <see cref="Backoff"/> between
/// failures (reset after a session that worked), until cancelled or a fatal refusal.
/// </summary>
internal static class ReconnectLoop
{
    public static async Task<AgentOutcome> RunAsync(
        Func<CancellationToken, Task<AgentOutcome>> attempt,
        Backoff backoff,
        TimeProvider time,
        Action<AgentOutcome, TimeSpan>? retrying,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await attempt(cancellationToken).ConfigureAwait(false);
            if (outcome.Kind == AgentOutcomeKind.Stopped || cancellationToken.IsCancellationRequested)
            {
                return outcome with { Kind = AgentOutcomeKind.Stopped };
            }

            if (outcome.IsFatal)
            {
                return outcome;
            }

            if (outcome.WasReady)
            {
                backoff.Reset();
            }

            var delay = backoff.Next();
            retrying?.Invoke(outcome, delay);
            try
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
            }
        }
    }
}
