namespace TunnelOperator.Agent.Connection;

/// <summary>
/// Reconnect delays: 1 s, 2 s, 4 s, … capped at 60 s, each scaled by a random factor in
/// [0.8, 1.2) so that many agents cut off at once do not return in lockstep.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan maximum, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private int _attempt;

    public static Backoff Default() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    public int Attempt => _attempt;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt, 30);
        _attempt++;
        var baseDelay = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), maximum.TotalMilliseconds);
        var jittered = baseDelay * (0.8 + (0.4 * _random()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, maximum.TotalMilliseconds));
    }

    /// <summary>Called once a connection has succeeded, so the next failure starts from 1 s again.</summary>
    public void Reset() => _attempt = 0;
}
