namespace TunnelOperator.Telemetry;

/// <summary>What <see cref="TelemetrySetup.EnableOtlp(TelemetryOptions)"/> exports and where to.</summary>
public sealed record TelemetryOptions
{
    /// <summary>The <c>service.name</c> resource attribute.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The <c>service.version</c> resource attribute, when known.</summary>
    public string? ServiceVersion { get; init; }

    /// <summary>
    /// The collector's base URL (as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: for http/protobuf the
    /// signal paths <c>v1/traces</c> and <c>v1/metrics</c> are appended to it). When null, the
    /// environment variable is used; when that is unset too, OTLP stays off.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Names of the <see cref="System.Diagnostics.ActivitySource"/>s whose spans are exported.</summary>
    public string[] ActivitySources { get; init; } = [];

    /// <summary>Names of the <see cref="System.Diagnostics.Metrics.Meter"/>s whose instruments are exported.</summary>
    public string[] Meters { get; init; } = [];

    public OtlpProtocol Protocol { get; init; } = OtlpProtocol.Auto;

    /// <summary>How often metrics are pushed; they are also pushed once more on dispose.</summary>
    public TimeSpan MetricExportInterval { get; init; } = TimeSpan.FromSeconds(10);
}
