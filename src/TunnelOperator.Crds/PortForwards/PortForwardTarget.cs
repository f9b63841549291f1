using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.Generation;

namespace TunnelOperator.Crds.PortForwards;

/// <summary>One in-cluster TCP or UDP endpoint a client may reach.</summary>
[CelRule("has(self.host) != has(self.service)", ExactlyOneDestination)]
[CelRule("has(self.host) == has(self.port)", PortGoesWithHost, FieldPath = ".port")]
public sealed record PortForwardTarget
{
    internal const string ExactlyOneDestination = "exactly one of host or service must be set";
    internal const string PortGoesWithHost = "port is required with host and not allowed with service (whose port is service.port)";

    [Description("Name clients ask for, e.g. postgres or dns; unique in the list.")]
    [Pattern(Patterns.DnsLabel)]
    [Length(1, 63)]
    public required string Name { get; init; }

    [Description("Transport protocol of the target. UDP is relayed per client session, which kubectl port-forward cannot do.")]
    [Default(TransportProtocol.Tcp)]
    public TransportProtocol Protocol { get; set; } = TransportProtocol.Tcp;

    [Description("Host name or IP address the agent dials, together with port.")]
    [Pattern(Patterns.Host)]
    [Length(1, 253)]
    public string? Host { get; init; }

    [Description("Port the agent dials on host.")]
    [Range(1, 65535)]
    public int? Port { get; init; }

    [Description("A Service port in the same namespace, instead of host and port.")]
    public ServiceTarget? Service { get; init; }

    [Description("Local port tunnelctl port-forward listens on by default for this target; the client may choose another. The target's port when absent.")]
    [Range(1, 65535)]
    public int? ListenPort { get; init; }

    internal void Validate(string path, List<SpecViolation> violations)
    {
        if ((Host is null) == (Service is null))
        {
            violations.Add(new(path, ExactlyOneDestination));
        }

        if ((Host is null) != (Port is null))
        {
            violations.Add(new($"{path}.port", PortGoesWithHost));
        }
    }
}
