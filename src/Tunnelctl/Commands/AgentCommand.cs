using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Agent.Services;
using TunnelOperator.Protocol.Diagnostics;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Protocol.V1;

namespace Tunnelctl.Commands;

/// <summary>
/// <c>tunnelctl agent</c>: a tenant's agent. Declares its TLS, TCP and UDP services to every
/// edge its invite names and serves them until interrupted (reconnecting with backoff).
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var invite = Env("--invite-token", "TUNNEL_INVITE_TOKEN", "The invite token from 'tunneld invite create'");
        var services = Env("--services", "TUNNEL_AGENT_SERVICES", "JSON array of hostname services: [{\"hostname\":\"app.example.eu\",\"origin\":\"127.0.0.1:8443\",\"tls_mode\":{\"mode\":\"passthrough\"},\"proxy_protocol\":\"v2\"}]");
        var tcp = Env("--tcp-services", "TUNNEL_AGENT_TCP_SERVICES", "JSON array of TCP services: [{\"name\":\"ssh\",\"origin\":\"127.0.0.1:22\",\"listen_port\":2222}]");
        var udp = Env("--udp-services", "TUNNEL_AGENT_UDP_SERVICES", "JSON array of UDP services: [{\"name\":\"dns\",\"origin\":\"127.0.0.1:53\",\"listen_port\":5353}]");
        var edges = Env("--edges", "TUNNEL_AGENT_EDGES", "Agent endpoints to connect to, comma-separated (default: the ones in the invite token)");
        var caCert = Env("--ca-cert", "TUNNEL_CA_CERT", "PEM CA to trust for the edges (edges with a generated CA)");
        var udpIdle = new Option<int>("--udp-idle-seconds") { Description = "A UDP client's origin session ends after this long without traffic", DefaultValueFactory = _ => 60 };
        var command = new Command("agent", "Serve a tenant's hostnames and TCP/UDP ports through every edge its invite names");
        foreach (var option in new Option[] { invite, services, tcp, udp, edges, caCert, udpIdle })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            var token = result.GetValue(invite);
            if (!InviteToken.TryParse(token, out var parsed, out var problem))
            {
                return Fail(string.IsNullOrWhiteSpace(token) ? "no invite token: set TUNNEL_INVITE_TOKEN or pass --invite-token" : $"--invite-token: {problem}");
            }

            if (!AgentServiceConfig.TryParse(result.GetValue(services), result.GetValue(tcp), result.GetValue(udp), out var declared, out problem))
            {
                return Fail(problem);
            }

            var edgeList = new List<Uri>();
            foreach (var text in (result.GetValue(edges) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                {
                    return Fail($"--edges '{text}' must be an https:// URL");
                }

                edgeList.Add(uri);
            }

            if (edgeList.Count == 0)
            {
                edgeList.AddRange(ServiceAgentOptions.EdgesOf(parsed));
            }

            if (edgeList.Count == 0)
            {
                return Fail("the invite token names no edge; pass --edges https://<edge>:7777");
            }

            var idle = result.GetValue(udpIdle);
            return await RunAsync(new ServiceAgentOptions
            {
                InviteToken = token!.Trim(),
                Edges = edgeList,
                Services = declared,
                CaCertificatePath = result.GetValue(caCert),
                UdpIdleTimeout = TimeSpan.FromSeconds(idle > 0 ? idle : 60),
            }, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(ServiceAgentOptions options, CancellationToken ct)
    {
        using var loggerFactory = ConsoleLogging.Create("TUNNEL_LOG");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var group = new ServiceAgentGroup(options, loggerFactory);
        var ready = 0;
        var output = new Lock();
        group.Synced += (edge, synced) =>
        {
            lock (output)
            {
                foreach (var status in synced.Services)
                {
                    Console.Out.WriteLine(status.Accepted
                        ? $"service {status.Name}: live at {status.PublicAddress} (edge {edge})"
                        : $"service {status.Name}: refused by edge {edge}: {status.Code}: {status.Reason}");
                }

                if (Interlocked.Exchange(ref ready, 1) == 0)
                {
                    Console.Out.WriteLine($"tunnelctl agent ready (tenant {synced.TenantName}, agent {options.AgentId})");
                }

                Console.Out.Flush();
            }
        };
        group.Retrying += (edge, outcome, delay) =>
            Console.Error.WriteLine($"edge {edge}: {Describe(outcome)}; retrying in {delay.TotalSeconds:0.0}s");
        var outcome = await group.RunAsync(stop.Token);
        return outcome.Kind == AgentOutcomeKind.Stopped ? 0 : Fail(Describe(outcome));
    }

    private static string Describe(AgentOutcome outcome) => outcome switch
    {
        { Kind: AgentOutcomeKind.Refused, Code: ErrorCode.PermissionDenied } => $"Error: PermissionDenied: {outcome.Message}",
        { Kind: AgentOutcomeKind.Refused, Code: ErrorCode.FailedPrecondition } => $"Error: FailedPrecondition: {outcome.Message}",
        { Kind: AgentOutcomeKind.Refused } => $"Error: {outcome.Code}: {outcome.Message}",
        _ => outcome.Message,
    };

    internal static Option<string?> Env(string name, string variable, string description) => new(name)
    {
        Description = $"{description} [env: {variable}]",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null,
    };

    internal static int Fail(string message)
    {
        Console.Error.WriteLine(message.StartsWith("Error:", StringComparison.Ordinal) ? message : $"error: {message}");
        return 2;
    }
}
