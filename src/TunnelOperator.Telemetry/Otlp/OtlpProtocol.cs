namespace TunnelOperator.Telemetry;

/// <summary>The OTLP transport to export with.</summary>
public enum OtlpProtocol
{
    /// <summary>
    /// Decide from the environment and the endpoint: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> when set,
    /// else gRPC for an endpoint on port 4317 (the well-known OTLP/gRPC port), else http/protobuf.
    /// </summary>
    Auto = 0,

    /// <summary>OTLP/HTTP with binary protobuf bodies; signals go to <c>/v1/traces</c> and <c>/v1/metrics</c>.</summary>
    HttpProtobuf,

    /// <summary>OTLP/gRPC.</summary>
    Grpc,
}
