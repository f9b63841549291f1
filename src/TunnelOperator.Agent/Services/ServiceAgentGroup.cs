using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Services;

/// <summary>
/// Keeps a tenant agent connected to every edge it was told about, each edge on its own
/// reconnect loop with <see cref="Backoff"/>. A fatal refusal from any edge (bad or revoked
/// invite, superseded agent) stops all of them: the same answer would come from every edge.
/// </summary>
public sealed class ServiceAgentGroup(ServiceAgentOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null, Func<Backoff>? backoff = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Each edge's ServicesSynced (first connect and every reconnect).</summary>
    public event Action<Uri, ServicesSynced>? Synced;

    /// <summary>Each failed or lost attempt, with the delay before the next one.</summary>
    public event Action<Uri, AgentOutcome, TimeSpan>? Retrying;

    /// <returns>The fatal outcome that stopped the agent, or Stopped on cancellation.</returns>
    public async Task<AgentOutcome> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = options.Edges.Select(edge => RunEdgeAsync(new ServiceAgent(options, edge, loggerFactory, _time), stop)).ToList();
        var outcomes = await Task.WhenAll(loops).ConfigureAwait(false);
        return outcomes.FirstOrDefault(o => o.Kind != AgentOutcomeKind.Stopped) ?? new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
    }

    private async Task<AgentOutcome> RunEdgeAsync(ServiceAgent agent, CancellationTokenSource stop)
    {
        var delays = backoff?.Invoke() ?? Backoff.Default();
        var ct = stop.Token;
        while (true)
        {
            var outcome = await agent.RunOnceAsync((edge, synced) => Synced?.Invoke(edge, synced), ct).ConfigureAwait(false);
            if (outcome.Kind == AgentOutcomeKind.Stopped || ct.IsCancellationRequested)
            {
                return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
            }

            if (outcome.IsFatal)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                return outcome;
            }

            if (outcome.WasReady)
            {
                delays.Reset();
            }

            var delay = delays.Next();
            Retrying?.Invoke(agent.Edge, outcome, delay);
            try
            {
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return new AgentOutcome(AgentOutcomeKind.Stopped, "stopped");
            }
        }
    }
}
