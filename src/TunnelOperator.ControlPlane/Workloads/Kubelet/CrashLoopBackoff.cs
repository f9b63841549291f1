namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// The kubelet's restart backoff for one container: the first restart is immediate, later ones wait
/// 10 s, 20 s, 40 s … up to 5 min; a run that lasted the reset period (10 min) starts the sequence over.
/// </summary>
internal sealed class CrashLoopBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly TimeSpan _reset;
    private TimeSpan _next = TimeSpan.Zero;

    public CrashLoopBackoff(TimeSpan initial, TimeSpan max, TimeSpan reset)
    {
        _initial = initial;
        _max = max;
        _reset = reset;
    }

    /// <summary>How long to wait before restarting a container that ran for <paramref name="ranFor"/>.</summary>
    public TimeSpan Next(TimeSpan ranFor)
    {
        if (ranFor >= _reset)
        {
            _next = TimeSpan.Zero;
        }

        var delay = _next;
        _next = _next == TimeSpan.Zero ? _initial : TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _max.Ticks));
        return delay;
    }
}
