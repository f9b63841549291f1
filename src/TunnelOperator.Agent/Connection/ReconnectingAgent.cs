using Microsoft.Extensions.Logging;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Connection;

/// <summary>
/// Keeps a tunnel agent connected: runs <see cref="TunnelAgent"/> attempts one after another,
/// waiting with <see cref="Backoff"/> between failures, until cancelled or a fatal refusal.
/// </summary>
public sealed class ReconnectingAgent(TunnelAgent agent, TimeProvider? timeProvider = null, Backoff? backoff = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Backoff _backoff = backoff ?? Backoff.Default();

    /// <summary>Called with each failed attempt and the delay before the next one.</summary>
    public event Action<AgentOutcome, TimeSpan>? Retrying;

    /// <returns>The fatal outcome that stopped the loop, or a Stopped outcome on cancellation.</returns>
    public async Task<AgentOutcome> RunAsync(Action<TunnelOpened> onReady, CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await agent.RunOnceAsync(onReady, cancellationToken).ConfigureAwait(false);
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
                _backoff.Reset();
            }

            var delay = _backoff.Next();
            Retrying?.Invoke(outcome, delay);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
            }
        }
    }
}
