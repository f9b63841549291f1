using System.CommandLine;
using System.Net;
using TunnelOperator.Operator.Hosting;

namespace Tunneld.Commands;

/// <summary>
/// The flags of the operator that <c>tunneld operator</c> and <c>tunneld local</c> share. The manifests
/// in config/manager and the Helm chart are written against these names.
/// </summary>
internal sealed class OperatorFlags(string metricsDefault, string healthDefault)
{
    public Option<string?> Namespace { get; } = EnvOption.String("--namespace", "TUNNELD_NAMESPACE", "Reconcile only this namespace (default: all)");

    public Option<string?> MetricsAddr { get; } = EnvOption.String("--metrics-addr", "TUNNELD_METRICS_ADDR", "Prometheus /metrics listener ('off' to disable)", metricsDefault);

    public Option<string?> HealthAddr { get; } = EnvOption.String("--health-addr", "TUNNELD_HEALTH_ADDR", "/healthz and /readyz listener ('off' to disable)", healthDefault);

    public Option<string> Image { get; } = new("--image")
    {
        Description = "Image of the edge and agent pods the operator creates [env: TUNNELD_IMAGE or TUNNELOP_IMAGE]",
        DefaultValueFactory = _ => FirstSet("TUNNELD_IMAGE", "TUNNELOP_IMAGE") ?? OperatorOptions.DefaultImage,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Namespace, MetricsAddr, HealthAddr, Image })
        {
            command.Options.Add(option);
        }
    }

    public (IPEndPoint? Metrics, IPEndPoint? Health) EndPoints(ParseResult result) =>
        (Endpoints.Parse(result.GetValue(MetricsAddr), "--metrics-addr"), Endpoints.Parse(result.GetValue(HealthAddr), "--health-addr"));

    internal static string? FirstSet(params string[] variables) =>
        variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
