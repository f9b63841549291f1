using System.Diagnostics;
using System.Diagnostics.Metrics;
using TunnelOperator.Edge.Routing;
using TunnelOperator.Telemetry;

namespace TunnelOperator.Edge;

/// <summary>
/// The edge's instruments. Names are the Prometheus series names served on /metrics; the
/// same instruments feed the OTLP exporter when one is configured.
/// </summary>
public sealed class EdgeMetrics : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(TunnelTelemetry.EdgeActivitySourceName);

    // The code tag of every response, formatted once rather than per response.
    private static readonly string[] StatusCodes = [.. Enumerable.Range(100, 500).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly Meter _meter;
    private readonly Counter<long> _tunnelsConnected;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _bodyLimitExceeded;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _agentSessions;
    private readonly Counter<long> _agentAuthFailures;

    public EdgeMetrics(TunnelRegistry registry)
    {
        _meter = new Meter(TunnelTelemetry.EdgeMeterName);
        _meter.CreateObservableGauge("tunnel_tunnels_active", () => registry.Count, description: "Tunnels currently connected to this edge.");
        _tunnelsConnected = _meter.CreateCounter<long>("tunnel_tunnels_connected_total", description: "Tunnels opened since the edge started.");
        _requests = _meter.CreateCounter<long>("tunnel_edge_requests_total", description: "Public requests received by the edge.");
        _responses = _meter.CreateCounter<long>("tunnel_edge_responses_total", description: "Public responses by status code.");
        _bodyLimitExceeded = _meter.CreateCounter<long>("tunnel_edge_body_limit_exceeded_total", description: "Requests refused for exceeding --max-request-body-bytes.");
        _requestDuration = _meter.CreateHistogram<double>("tunnel_edge_request_duration_seconds", unit: "s", description: "Time from receiving a public request to finishing its response.");
        _agentSessions = _meter.CreateCounter<long>("tunnel_agent_sessions_total", description: "Agent sessions that completed their hello.");
        _agentAuthFailures = _meter.CreateCounter<long>("tunnel_agent_auth_failures_total", description: "Agent hellos refused for an invalid or revoked token.");
    }

    /// <summary>This edge's own meter (each edge in a process has one), for exporters to select.</summary>
    public Meter Meter => _meter;

    /// <summary>
    /// Records zero on every counter without labels, once the exporters listen, so a fresh edge
    /// shows them at 0 (as Prometheus clients do) instead of leaving them out until first use:
    /// alerts and rate() need the series to exist.
    /// </summary>
    public void StartSeries()
    {
        foreach (var counter in (Counter<long>[])[_tunnelsConnected, _requests, _bodyLimitExceeded, _agentSessions, _agentAuthFailures])
        {
            counter.Add(0);
        }
    }

    public void TunnelConnected() => _tunnelsConnected.Add(1);

    public void RequestReceived() => _requests.Add(1);

    public void ResponseSent(int statusCode, TimeSpan duration)
    {
        _responses.Add(1, new KeyValuePair<string, object?>("code", CodeTag(statusCode)));
        _requestDuration.Record(duration.TotalSeconds);
    }

    public void BodyLimitExceeded() => _bodyLimitExceeded.Add(1);

    public void AgentSessionStarted() => _agentSessions.Add(1);

    public void AgentAuthFailed() => _agentAuthFailures.Add(1);

    public void Dispose() => _meter.Dispose();

    private static string CodeTag(int statusCode) => statusCode is >= 100 and < 600
        ? StatusCodes[statusCode - 100]
        : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
