namespace TunnelOperator.Telemetry;

/// <summary>
/// Meter and activity-source names shared across the suite. Instruments are created on
/// these names by the edge and the agent; the Prometheus exporter and the OTLP set-up
/// subscribe to them by the same names.
/// </summary>
public static class TunnelTelemetry
{
    public const string EdgeMeterName = "TunnelOperator.Edge";
    public const string AgentMeterName = "TunnelOperator.Agent";
    public const string EdgeActivitySourceName = "TunnelOperator.Edge";
    public const string AgentActivitySourceName = "TunnelOperator.Agent";
}
