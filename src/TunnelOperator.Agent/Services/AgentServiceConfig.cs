using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Services;

/// <summary>Whether the agent writes a PROXY v2 header before the bytes it sends an origin.</summary>
public enum ProxyProtocolMode
{
    None,
    V2,
}

/// <summary>One service an agent serves, after validation.</summary>
public sealed record AgentService
{
    public required string Name { get; init; }
    public required ServiceProtocol Protocol { get; init; }
    /// <summary>TLS services: the public hostname (or one-label wildcard).</summary>
    public string Hostname { get; init; } = string.Empty;
    /// <summary>TCP/UDP services: the port the edge opens.</summary>
    public int ListenPort { get; init; }
    public required string OriginHost { get; init; }
    public required int OriginPort { get; init; }
    /// <summary>Terminate mode: when set, the agent dials the origin over TLS with this SNI.</summary>
    public string? OriginServerName { get; init; }
    public TlsMode TlsMode { get; init; } = TlsMode.Passthrough;
    public ProxyProtocolMode ProxyProtocol { get; init; }

    public string Origin => OriginHost.Contains(':') ? $"[{OriginHost}]:{OriginPort}" : $"{OriginHost}:{OriginPort}";

    public ServiceDeclaration ToDeclaration() => new()
    {
        Name = Name,
        Protocol = Protocol,
        Hostname = Hostname,
        ListenPort = (uint)ListenPort,
        TlsMode = Protocol == ServiceProtocol.Tls ? TlsMode : TlsMode.Unspecified,
        Origin = Origin,
        ProxyProtocolV2 = ProxyProtocol == ProxyProtocolMode.V2,
        OriginServerName = OriginServerName ?? string.Empty,
    };
}

/// <summary>The JSON shapes of TUNNEL_AGENT_SERVICES, _TCP_SERVICES and _UDP_SERVICES.</summary>
public sealed record ServiceEntryJson
{
    public string? Name { get; init; }
    public string? Hostname { get; init; }
    public string? Origin { get; init; }
    public string? OriginServerName { get; init; }
    public int? ListenPort { get; init; }
    /// <summary><c>{"mode":"passthrough"}</c> or <c>{"mode":"terminate"}</c> (a bare string is accepted too).</summary>
    public JsonElement? TlsMode { get; init; }
    /// <summary><c>"v2"</c> or <c>"none"</c>.</summary>
    public string? ProxyProtocol { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ServiceEntryJson[]))]
internal sealed partial class AgentConfigJsonContext : JsonSerializerContext;

/// <summary>
/// Parses and checks the agent's service lists (the seed's shapes):
/// <code>
///   TUNNEL_AGENT_SERVICES     [{"hostname":"app.example.eu","origin":"127.0.0.1:8443",
///                               "tls_mode":{"mode":"passthrough"},"proxy_protocol":"v2",
///                               "origin_server_name":"optional SNI for a TLS origin (terminate)"}]
///   TUNNEL_AGENT_TCP_SERVICES [{"name":"ssh","origin":"127.0.0.1:22","listen_port":2222}]
///   TUNNEL_AGENT_UDP_SERVICES [{"name":"dns","origin":"127.0.0.1:53","listen_port":5353}]
/// </code>
/// PROXY v2 defaults to on for passthrough and off for terminate, TCP and UDP.
/// </summary>
public static class AgentServiceConfig
{
    public static bool TryParse(string? tls, string? tcp, string? udp, [NotNullWhen(true)] out IReadOnlyList<AgentService>? services, out string problem)
    {
        var all = new List<AgentService>();
        services = null;
        foreach (var (json, protocol, source) in new[] { (tls, ServiceProtocol.Tls, "TUNNEL_AGENT_SERVICES"), (tcp, ServiceProtocol.Tcp, "TUNNEL_AGENT_TCP_SERVICES"), (udp, ServiceProtocol.Udp, "TUNNEL_AGENT_UDP_SERVICES") })
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                continue;
            }

            ServiceEntryJson[]? entries;
            try
            {
                entries = JsonSerializer.Deserialize(json, AgentConfigJsonContext.Default.ServiceEntryJsonArray);
            }
            catch (JsonException e)
            {
                problem = $"{source} is not a JSON array of services ({e.Message})";
                return false;
            }

            for (var i = 0; i < (entries?.Length ?? 0); i++)
            {
                if (!TryConvert(entries![i], protocol, out var service, out problem))
                {
                    problem = $"{source}[{i}]: {problem}";
                    return false;
                }

                all.Add(service);
            }
        }

        if (all.Count == 0)
        {
            problem = "no services: set TUNNEL_AGENT_SERVICES, TUNNEL_AGENT_TCP_SERVICES or TUNNEL_AGENT_UDP_SERVICES (or --services / --tcp-services / --udp-services)";
            return false;
        }

        // Streams name their service with its protocol, so "dns" may be both a TCP and a UDP service.
        var duplicate = all.GroupBy(s => (s.Protocol, s.Name)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            problem = $"{ProtocolName(duplicate.Key.Protocol)} service name '{duplicate.Key.Name}' is used twice; names must be unique per protocol";
            return false;
        }

        services = all;
        problem = string.Empty;
        return true;
    }

    private static bool TryConvert(ServiceEntryJson entry, ServiceProtocol protocol, [NotNullWhen(true)] out AgentService? service, out string problem)
    {
        service = null;
        if (!TryParseOrigin(entry.Origin, out var host, out var port, out problem))
        {
            return false;
        }

        var mode = TlsMode.Passthrough;
        if (entry.TlsMode is { } tlsMode && tlsMode.ValueKind != JsonValueKind.Null)
        {
            var text = tlsMode.ValueKind switch
            {
                JsonValueKind.String => tlsMode.GetString(),
                JsonValueKind.Object when tlsMode.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String => m.GetString(),
                _ => null,
            };
            switch (text?.ToLowerInvariant())
            {
                case "passthrough":
                    mode = TlsMode.Passthrough;
                    break;
                case "terminate":
                    mode = TlsMode.Terminate;
                    break;
                default:
                    problem = "tls_mode must be {\"mode\":\"passthrough\"} or {\"mode\":\"terminate\"}";
                    return false;
            }
        }

        ProxyProtocolMode proxy;
        switch (entry.ProxyProtocol?.ToLowerInvariant())
        {
            case null or "":
                proxy = protocol == ServiceProtocol.Tls && mode == TlsMode.Passthrough ? ProxyProtocolMode.V2 : ProxyProtocolMode.None;
                break;
            case "v2":
                proxy = ProxyProtocolMode.V2;
                break;
            case "none":
                proxy = ProxyProtocolMode.None;
                break;
            default:
                problem = $"proxy_protocol '{entry.ProxyProtocol}' is not known: use \"v2\" or \"none\"";
                return false;
        }

        if (protocol == ServiceProtocol.Tls)
        {
            if (string.IsNullOrWhiteSpace(entry.Hostname))
            {
                problem = "a hostname is required";
                return false;
            }

            var hostname = entry.Hostname.Trim().TrimEnd('.').ToLowerInvariant();
            service = new AgentService
            {
                Name = string.IsNullOrWhiteSpace(entry.Name) ? hostname : entry.Name.Trim(),
                Protocol = protocol,
                Hostname = hostname,
                OriginHost = host,
                OriginPort = port,
                OriginServerName = string.IsNullOrWhiteSpace(entry.OriginServerName) ? null : entry.OriginServerName.Trim(),
                TlsMode = mode,
                ProxyProtocol = proxy,
            };
            return true;
        }

        if (entry.ListenPort is not { } listen || listen is < 1 or > 65535)
        {
            problem = "listen_port is required (1-65535)";
            return false;
        }

        service = new AgentService
        {
            Name = string.IsNullOrWhiteSpace(entry.Name) ? $"{(protocol == ServiceProtocol.Udp ? "udp" : "tcp")}-{listen.ToString(CultureInfo.InvariantCulture)}" : entry.Name.Trim(),
            Protocol = protocol,
            ListenPort = listen,
            OriginHost = host,
            OriginPort = port,
            ProxyProtocol = proxy,
        };
        return true;
    }

    /// <summary><c>host:port</c> or <c>[v6]:port</c>.</summary>
    public static bool TryParseOrigin(string? origin, out string host, out int port, out string problem)
    {
        host = string.Empty;
        port = 0;
        problem = $"origin '{origin}' must be HOST:PORT, like 127.0.0.1:8080 or [::1]:8080";
        if (string.IsNullOrWhiteSpace(origin))
        {
            problem = "an origin (HOST:PORT) is required";
            return false;
        }

        var text = origin.Trim();
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            return false;
        }

        return host.Length > 0;
    }

    private static string ProtocolName(ServiceProtocol protocol) => protocol switch
    {
        ServiceProtocol.Tls => "TLS",
        ServiceProtocol.Udp => "UDP",
        _ => "TCP",
    };
}
