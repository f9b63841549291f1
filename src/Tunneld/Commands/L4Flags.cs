using System.CommandLine;
using System.Net;
using TunnelOperator.Edge.Tenants;

namespace Tunneld.Commands;

/// <summary>The <c>tunneld serve</c> flags of the L4 engine (front door, ports, trusted proxies, hub).</summary>
internal sealed class L4Flags
{
    private readonly Option<bool> _allowPrivileged = EnvOption.Create("--allow-privileged-ports", "TUNNELD_ALLOW_PRIVILEGED_PORTS", "Let tenants claim TCP/UDP ports below 1024", bool.Parse, false);
    private readonly Option<string?> _portsAddress = EnvOption.String("--ports-bind-addr", "TUNNELD_PORTS_BIND_ADDR", "Address declared TCP/UDP ports are opened on", "0.0.0.0");
    private readonly Option<string?> _trustedProxies = EnvOption.String("--trusted-proxies", "TUNNELD_TRUSTED_PROXIES", "CIDRs of load balancers that must send PROXY v2 first (comma-separated); PROXY headers from anyone else are refused");
    private readonly Option<int> _proxyTimeout = EnvOption.Create("--proxy-header-timeout-seconds", "TUNNELD_PROXY_HEADER_TIMEOUT_SECONDS", "Time a trusted proxy has to send its PROXY header", int.Parse, 5);
    private readonly Option<int> _helloTimeout = EnvOption.Create("--client-hello-timeout-seconds", "TUNNELD_CLIENT_HELLO_TIMEOUT_SECONDS", "Time a client has to send its TLS ClientHello on the HTTPS port", int.Parse, 10);
    private readonly Option<int> _udpIdle = EnvOption.Create("--udp-idle-seconds", "TUNNELD_UDP_IDLE_SECONDS", "A UDP client's session ends after this long without traffic", int.Parse, 60);
    private readonly Option<string?> _advertise = EnvOption.String("--advertise-url", "TUNNELD_ADVERTISE_URL", "Agent endpoint(s) invites carry, comma-separated (default https://<base-host>:<control port>)");
    private readonly Option<string?> _operatorKey = EnvOption.String("--operator-key", "TUNNELD_OPERATOR_KEY", "Operator API key for the hub API (default: generated into <data-dir>/operator.key, mode 0600)");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _allowPrivileged, _portsAddress, _trustedProxies, _proxyTimeout, _helloTimeout, _udpIdle, _advertise, _operatorKey })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> with the flag's name for unusable values.</summary>
    public L4Options Bind(ParseResult result)
    {
        var address = result.GetValue(_portsAddress) ?? "0.0.0.0";
        if (!IPAddress.TryParse(address, out var bindAddress))
        {
            throw new ArgumentException($"--ports-bind-addr '{address}' is not an IP address");
        }

        var networks = new List<IPNetwork>();
        foreach (var cidr in (result.GetValue(_trustedProxies) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPNetwork.TryParse(cidr.Contains('/') ? cidr : cidr + (cidr.Contains(':') ? "/128" : "/32"), out var network))
            {
                throw new ArgumentException($"--trusted-proxies '{cidr}' is not a CIDR like 10.0.0.0/8");
            }

            networks.Add(network);
        }

        var advertise = (result.GetValue(_advertise) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in advertise)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"--advertise-url '{url}' must be an https:// URL like https://edge.example.com:7777");
            }
        }

        return new L4Options
        {
            AllowPrivilegedPorts = result.GetValue(_allowPrivileged),
            PortBindAddress = bindAddress,
            TrustedProxies = networks,
            ProxyHeaderTimeout = TimeSpan.FromSeconds(Positive(result.GetValue(_proxyTimeout), "--proxy-header-timeout-seconds")),
            ClientHelloTimeout = TimeSpan.FromSeconds(Positive(result.GetValue(_helloTimeout), "--client-hello-timeout-seconds")),
            UdpIdleTimeout = TimeSpan.FromSeconds(Positive(result.GetValue(_udpIdle), "--udp-idle-seconds")),
            AdvertiseUrls = advertise,
            OperatorKey = result.GetValue(_operatorKey),
        };
    }

    private static int Positive(int value, string flag) =>
        value > 0 ? value : throw new ArgumentException($"{flag} must be a positive number, not {value}");
}
