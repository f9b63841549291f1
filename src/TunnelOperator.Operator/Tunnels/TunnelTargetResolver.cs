using System.Globalization;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.Apply;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>
/// Turns a Tunnel's target into the URL its agent dials (pure): a URL as written, or
/// <c>http(s)://&lt;service&gt;.&lt;namespace&gt;.svc.cluster.local:&lt;port&gt;</c> for a Service, with a named
/// port resolved from the Service. The scheme follows the protocol: https dials the target over TLS.
/// </summary>
internal static class TunnelTargetResolver
{
    public static ResolvedTarget Resolve(Tunnel tunnel, Service? service)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        var spec = tunnel.Spec;
        var scheme = spec.Protocol == TunnelProtocol.Https ? "https" : "http";
        if (spec.Target.Url is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                return ResolvedTarget.Invalid($"spec.target.url '{url}' must be an http:// or https:// URL for a {Protocol(spec.Protocol)} tunnel");
            }

            return parsed.Scheme == scheme
                ? ResolvedTarget.Ok(url)
                : ResolvedTarget.Invalid($"spec.target.url '{url}' is {parsed.Scheme}:// but the tunnel's protocol is {Protocol(spec.Protocol)}: use a {scheme}:// URL, or protocol {parsed.Scheme}");
        }

        var target = spec.Target.Service ?? throw new InvalidOperationException("a target without url or service passed validation");
        var ns = tunnel.Metadata.Namespace!;
        if (service is null || service.Metadata.DeletionTimestamp is not null)
        {
            return ResolvedTarget.Invalid($"Service {ns}/{target.Name} does not exist");
        }

        var ports = service.Spec?.Ports ?? [];
        ServicePort? port = target.Port.IsInt
            ? ports.FirstOrDefault(p => p.Port == target.Port.IntValue)
            : ports.FirstOrDefault(p => p.Name == target.Port.StringValue);
        if (port is null)
        {
            var known = ports.Count == 0 ? "none" : string.Join(", ", ports.Select(p => p.Name is { Length: > 0 } n ? $"{n} ({p.Port})" : p.Port.ToString(CultureInfo.InvariantCulture)));
            return ResolvedTarget.Invalid($"Service {ns}/{target.Name} has no port {target.Port}; its ports: {known}");
        }

        return ResolvedTarget.Ok($"{scheme}://{ChildNames.ServiceDnsName(target.Name, ns)}:{port.Port.ToString(CultureInfo.InvariantCulture)}");
    }

    internal static string Protocol(TunnelProtocol protocol) => protocol switch
    {
        TunnelProtocol.Http => "http",
        TunnelProtocol.Https => "https",
        TunnelProtocol.TlsPassthrough => "tls-passthrough",
        TunnelProtocol.Tcp => "tcp",
        _ => "udp",
    };
}
