using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet.Probes;

/// <summary>
/// Runs one probe of one container run on its schedule (initialDelaySeconds, then every periodSeconds) and
/// reports each flip of its result once successThreshold successes or failureThreshold failures have
/// been seen in a row. Readiness and startup start as failing, liveness as succeeding (kubelet's initial values).
/// </summary>
internal sealed class ProbeWorker
{
    private readonly Probe _probe;
    private readonly ProbeTarget _target;
    private readonly TimeProvider _time;
    private readonly Func<bool, string?, Task> _onChange;
    private readonly Func<string, Task> _onFailure;

    public ProbeWorker(Probe probe, ProbeTarget target, bool initial, TimeProvider time, Func<bool, string?, Task> onChange, Func<string, Task> onFailure)
    {
        _probe = probe;
        _target = target;
        Result = initial;
        _time = time;
        _onChange = onChange;
        _onFailure = onFailure;
    }

    public bool Result { get; private set; }

    /// <summary>Probes until cancelled, or until <paramref name="stopWhenSucceeded"/> and the probe succeeded (startup probes).</summary>
    public async Task RunAsync(bool stopWhenSucceeded, CancellationToken ct)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, _probe.PeriodSeconds ?? 10));
        var successThreshold = Math.Max(1, _probe.SuccessThreshold ?? 1);
        var failureThreshold = Math.Max(1, _probe.FailureThreshold ?? 3);
        var successes = 0;
        var failures = 0;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, _probe.InitialDelaySeconds ?? 0)), _time, ct);
            while (!ct.IsCancellationRequested)
            {
                var result = await ProbeRunner.RunAsync(_probe, _target, _time, ct);
                if (result.Success)
                {
                    failures = 0;
                    if (++successes >= successThreshold && !Result)
                    {
                        Result = true;
                        await _onChange(true, null);
                    }

                    if (stopWhenSucceeded && Result)
                    {
                        return;
                    }
                }
                else
                {
                    successes = 0;
                    await _onFailure(result.Message ?? "");
                    if (++failures >= failureThreshold && Result)
                    {
                        Result = false;
                        await _onChange(false, result.Message);
                    }
                    else if (failures >= failureThreshold && !Result && stopWhenSucceeded)
                    {
                        // A startup probe that never succeeded fails the container at the threshold.
                        await _onChange(false, result.Message);
                        failures = 0;
                    }
                }

                await Task.Delay(period, _time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
