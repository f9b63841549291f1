using OpenTelemetry.Exporter;
using TunnelOperator.Telemetry.Otlp;

namespace TunnelOperator.Telemetry.Tests.Otlp;

public sealed class OtlpPlanTests
{
    private static TelemetryOptions Options(string? endpoint, OtlpProtocol protocol = OtlpProtocol.Auto) => new()
    {
        ServiceName = "test",
        OtlpEndpoint = endpoint is null ? null : new Uri(endpoint),
        Protocol = protocol,
    };

    private static Func<string, string?> Environment(string? endpoint = null, string? protocol = null) => name => name switch
    {
        OtlpPlan.EndpointVariable => endpoint,
        OtlpPlan.ProtocolVariable => protocol,
        _ => null,
    };

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "")]
    [InlineData(null, "   ")]
    public void NoEndpointAnywhere_MeansNoPlan(string? option, string? environment)
    {
        Assert.Null(OtlpPlan.Resolve(Options(option), Environment(environment)));
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces", "http://collector:4318/v1/metrics")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/traces", "http://collector:4318/v1/metrics")]
    [InlineData("https://gateway.example/otlp/", "https://gateway.example/otlp/v1/traces", "https://gateway.example/otlp/v1/metrics")]
    public void HttpProtobuf_AppendsTheSignalPathsToTheBase(string endpoint, string traces, string metrics)
    {
        var plan = OtlpPlan.Resolve(Options(endpoint), Environment())!;

        Assert.Equal(OtlpExportProtocol.HttpProtobuf, plan.Protocol);
        Assert.Equal(new Uri(traces), plan.TracesEndpoint);
        Assert.Equal(new Uri(metrics), plan.MetricsEndpoint);
    }

    [Theory]
    [InlineData("http://c:4318", OtlpProtocol.Auto, null, OtlpExportProtocol.HttpProtobuf)]
    [InlineData("http://c:4317", OtlpProtocol.Auto, null, OtlpExportProtocol.Grpc)]
    [InlineData("http://c:4317", OtlpProtocol.Auto, "http/protobuf", OtlpExportProtocol.HttpProtobuf)]
    [InlineData("http://c:9000", OtlpProtocol.Auto, "grpc", OtlpExportProtocol.Grpc)]
    [InlineData("http://c:9000", OtlpProtocol.Auto, "http/json", OtlpExportProtocol.HttpProtobuf)]
    [InlineData("http://c:4317", OtlpProtocol.HttpProtobuf, "grpc", OtlpExportProtocol.HttpProtobuf)]
    [InlineData("http://c:4318", OtlpProtocol.Grpc, "http/protobuf", OtlpExportProtocol.Grpc)]
    public void Protocol_OptionBeatsEnvironmentBeatsPort(string endpoint, OtlpProtocol option, string? environment, OtlpExportProtocol expected)
    {
        var plan = OtlpPlan.Resolve(Options(endpoint, option), Environment(protocol: environment))!;

        Assert.Equal(expected, plan.Protocol);
    }

    [Fact]
    public void Grpc_UsesTheEndpointAsItIs()
    {
        var plan = OtlpPlan.Resolve(Options("http://c:4317", OtlpProtocol.Grpc), Environment())!;

        Assert.Equal(new Uri("http://c:4317"), plan.TracesEndpoint);
        Assert.Equal(new Uri("http://c:4317"), plan.MetricsEndpoint);
    }

    [Fact]
    public void TheOption_BeatsTheEnvironmentVariable()
    {
        var plan = OtlpPlan.Resolve(Options("http://from-option:4318"), Environment("http://from-env:4318"))!;

        Assert.Equal("from-option", plan.TracesEndpoint.Host);
    }

    [Fact]
    public void TheEnvironmentVariable_IsUsedWithoutAnOption()
    {
        var plan = OtlpPlan.Resolve(Options(null), Environment(" http://from-env:4318 "))!;

        Assert.Equal(new Uri("http://from-env:4318/v1/metrics"), plan.MetricsEndpoint);
    }

    [Fact]
    public void AnEnvironmentValueThatIsNoUrl_IsReportedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OtlpPlan.Resolve(Options(null), Environment("not a url")));

        Assert.Contains(OtlpPlan.EndpointVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonHttpScheme_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => OtlpPlan.Resolve(Options("ftp://collector:4318"), Environment()));
    }
}
