using OpenTelemetry.Exporter;

namespace TunnelOperator.Telemetry.Otlp;

/// <summary>
/// Where each signal goes and over which protocol, resolved from <see cref="TelemetryOptions"/>
/// and the environment. Pure, so the precedence rules are unit-tested without a collector.
/// </summary>
internal sealed record OtlpPlan(Uri TracesEndpoint, Uri MetricsEndpoint, OtlpExportProtocol Protocol)
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    private const int WellKnownGrpcPort = 4317;

    /// <summary>Null when no endpoint is configured in the options or the environment.</summary>
    public static OtlpPlan? Resolve(TelemetryOptions options, Func<string, string?> environment)
    {
        var endpoint = options.OtlpEndpoint ?? FromEnvironment(environment);
        if (endpoint is null)
        {
            return null;
        }

        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"OTLP endpoint '{endpoint}' must be an absolute http:// or https:// URL.", nameof(options));
        }

        var protocol = ResolveProtocol(options.Protocol, environment(ProtocolVariable), endpoint);
        return protocol == OtlpExportProtocol.Grpc
            ? new OtlpPlan(endpoint, endpoint, protocol)
            : new OtlpPlan(AppendPath(endpoint, "v1/traces"), AppendPath(endpoint, "v1/metrics"), protocol);
    }

    private static Uri? FromEnvironment(Func<string, string?> environment)
    {
        var value = environment(EndpointVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{EndpointVariable}='{value}' is not an absolute URL.");
    }

    private static OtlpExportProtocol ResolveProtocol(OtlpProtocol requested, string? environmentValue, Uri endpoint)
    {
        switch (requested)
        {
            case OtlpProtocol.Grpc:
                return OtlpExportProtocol.Grpc;
            case OtlpProtocol.HttpProtobuf:
                return OtlpExportProtocol.HttpProtobuf;
        }

        // The OTLP exporter specification names "grpc", "http/protobuf" and "http/json"; the .NET
        // exporter has no JSON encoding, so anything but "grpc" means http/protobuf.
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            return environmentValue.Trim().Equals("grpc", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.Grpc
                : OtlpExportProtocol.HttpProtobuf;
        }

        return endpoint.Port == WellKnownGrpcPort ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
    }

    /// <summary>
    /// OTLP/HTTP treats the configured endpoint as a base: <c>http://c:4318/otlp</c> becomes
    /// <c>http://c:4318/otlp/v1/traces</c> (OTLP exporter specification, "Endpoint URLs for OTLP/HTTP").
    /// </summary>
    private static Uri AppendPath(Uri endpoint, string signalPath)
    {
        var builder = new UriBuilder(endpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/" + signalPath;
        return builder.Uri;
    }
}
