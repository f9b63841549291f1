using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using TunnelOperator.Agent.Config;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Agent.Forwards;
using TunnelOperator.Protocol.Diagnostics;
using TunnelOperator.Protocol.V1;

namespace Tunnelctl.Commands;

/// <summary>
/// <c>tunnelctl port-forward server|client</c>: TCP and UDP forwarding relayed through the edge,
/// authenticated end to end by tokens from <c>tunnelctl generate-token</c>.
/// </summary>
internal static class PortForwardCommand
{
    /// <summary>Adds <c>port-forward</c> and <c>generate-token</c> to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(Create());
        root.Subcommands.Add(GenerateTokenCommand.Create());
    }

    public static Command Create()
    {
        var command = new Command("port-forward", "Forward TCP/UDP ports through the edge to a forward server beside the targets (like kubectl port-forward, with UDP)");
        command.Subcommands.Add(CreateServer());
        command.Subcommands.Add(CreateClient());
        return command;
    }

    private static Command CreateServer()
    {
        var name = new Option<string?>("--name") { Description = "Name of this forward server; its ID becomes <name>.<your-slug> [env: TUNNEL_FORWARD_NAME]" };
        var allowedTcp = new Option<string[]>("--allowed-tcp") { Description = "TCP networks clients may reach, CIDR (repeatable); loopback, link-local and metadata addresses need their own entry", AllowMultipleArgumentsPerToken = false };
        var allowedUdp = new Option<string[]>("--allowed-udp") { Description = "UDP networks clients may reach, CIDR (repeatable)", AllowMultipleArgumentsPerToken = false };
        var tokens = new Option<string[]>("--auth-tokens") { Description = "Auth tokens clients must present (repeatable) [env: TUNNEL_FORWARD_AUTH_TOKENS, comma-separated]" };
        var tokensFile = new Option<string?>("--auth-tokens-file") { Description = "File with one auth token per line ('#' comments allowed)" };
        var maxSessions = new Option<int>("--max-sessions") { Description = "Concurrent forwarded connections and UDP flows", DefaultValueFactory = _ => 100 };
        var udpIdle = new Option<int>("--udp-idle-timeout") { Description = "Seconds a UDP flow may be idle before it is closed", DefaultValueFactory = _ => 60 };
        var edge = new EdgeOptionSet();
        var command = new Command("server", "Serve forward streams for the targets this machine can reach (run it beside them)");
        foreach (var option in new Option[] { name, allowedTcp, allowedUdp, tokens, tokensFile, maxSessions, udpIdle })
        {
            command.Options.Add(option);
        }

        edge.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var serverName = result.GetValue(name) ?? Environment.GetEnvironmentVariable("TUNNEL_FORWARD_NAME");
            if (string.IsNullOrWhiteSpace(serverName))
            {
                return Fail("--name is required: the server ID clients use is <name>.<your-slug>, e.g. --name db");
            }

            var entries = (result.GetValue(tokens) ?? []).Select((t, i) => (t, $"--auth-tokens #{i + 1}")).ToList();
            var fromEnv = Environment.GetEnvironmentVariable("TUNNEL_FORWARD_AUTH_TOKENS");
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                entries.AddRange(fromEnv.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select((t, i) => (t, $"TUNNEL_FORWARD_AUTH_TOKENS #{i + 1}")));
            }

            if (result.GetValue(tokensFile) is { } file)
            {
                try
                {
                    entries.AddRange(ForwardTokenSet.ReadFile(file));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Fail($"--auth-tokens-file {file}: {e.Message}");
                }
            }

            if (!ForwardTokenSet.TryCreate(entries, out var tokenSet, out var problem))
            {
                return Fail(problem);
            }

            if (tokenSet.Count == 0)
            {
                return Fail("no auth tokens: pass --auth-tokens (make one with 'tunnelctl generate-token') or --auth-tokens-file");
            }

            if (!ForwardAllowlist.TryCreate(result.GetValue(allowedTcp) ?? [], result.GetValue(allowedUdp) ?? [], out var allowlist, out problem))
            {
                return Fail(problem);
            }

            if (allowlist.Tcp.Count == 0 && allowlist.Udp.Count == 0)
            {
                return Fail("nothing is allowed: pass --allowed-tcp and/or --allowed-udp with the networks clients may reach, e.g. --allowed-tcp 10.0.0.0/8");
            }

            if (!edge.TryResolveAll(result, out var edges, out problem))
            {
                return Fail(problem);
            }

            var options = new ForwardServerOptions
            {
                Edges = edges,
                Name = serverName.Trim(),
                Tokens = tokenSet,
                Allowlist = allowlist,
                MaxSessions = Math.Max(1, result.GetValue(maxSessions)),
                UdpIdleTimeout = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(udpIdle))),
            };
            return await RunServerAsync(options, ct);
        });
        return command;
    }

    private static async Task<int> RunServerAsync(ForwardServerOptions options, CancellationToken ct)
    {
        using var loggerFactory = ConsoleLogging.Create("TUNNEL_LOG");
        using var stop = StopOnSignals(ct, out var registrations);
        using var _ = registrations;
        var server = new ForwardServer(options, loggerFactory);
        var hints = ToTunnelOptions(options.Edges[0]);
        server.Retrying += (outcome, delay) =>
            Console.Error.WriteLine($"{TunnelCommand.Explain(outcome, hints)}\nretrying in {delay.TotalSeconds:0.0}s");
        var ready = 0;
        var printing = new Lock(); // edges register concurrently
        server.Registered += (serverId, edgeEndpoint) =>
        {
            lock (printing)
            {
                // Per registration (each edge, and again after each reconnect); the rest once.
                Console.Out.WriteLine($"registered on {edgeEndpoint}");
                Console.Out.WriteLine($"forward server ID: {serverId}");
                if (ready++ == 0)
                {
                    Console.Out.WriteLine($"auth tokens: {options.Tokens.Count}; allowed tcp: {Describe(options.Allowlist.Tcp)}; allowed udp: {Describe(options.Allowlist.Udp)}");
                    Console.Out.WriteLine("tunnelctl port-forward server ready");
                }

                Console.Out.Flush();
            }
        };
        var outcome = await server.RunAsync(null, stop.Token);
        return outcome.Kind == AgentOutcomeKind.Stopped ? 0 : Fail(TunnelCommand.Explain(outcome, hints));
    }

    private static Command CreateClient()
    {
        var server = new Option<string>("--server") { Description = "ID of the forward server, as it printed it: <name>.<slug>", Required = true };
        var source = new Option<string>("--source") { Description = "What the server should reach: tcp://HOST:PORT or udp://HOST:PORT", Required = true };
        var target = new Option<string>("--target") { Description = "Local address to listen on, e.g. 127.0.0.1:2222", Required = true };
        var token = new Option<string?>("--auth-token") { Description = "One of the server's auth tokens [env: TUNNEL_FORWARD_AUTH_TOKEN]" };
        var tokenFile = new Option<string?>("--auth-token-file") { Description = "File holding the auth token" };
        var udpIdle = new Option<int>("--udp-idle-timeout") { Description = "Seconds a UDP flow may be idle before it is closed", DefaultValueFactory = _ => 60 };
        var edge = new EdgeOptionSet();
        var command = new Command("client", "Listen locally and forward each connection or UDP peer to a source through a forward server");
        foreach (var option in new Option[] { server, source, target, token, tokenFile, udpIdle })
        {
            command.Options.Add(option);
        }

        edge.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            // Everything that can be checked here is checked before anything goes on the network.
            string? authToken = result.GetValue(token) ?? Environment.GetEnvironmentVariable("TUNNEL_FORWARD_AUTH_TOKEN");
            if (authToken is null && result.GetValue(tokenFile) is { } path)
            {
                try
                {
                    authToken = File.ReadAllLines(path).Select(l => (l.Contains('#', StringComparison.Ordinal) ? l[..l.IndexOf('#', StringComparison.Ordinal)] : l).Trim()).FirstOrDefault(l => l.Length > 0);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Fail($"--auth-token-file {path}: {e.Message}");
                }
            }

            var check = ForwardToken.Check(authToken?.Trim());
            if (!check.IsValid)
            {
                return Fail(authToken is null ? "no auth token: pass --auth-token (one of the server's tokens) or --auth-token-file" : check.Describe("--auth-token"));
            }

            var serverId = result.GetValue(server)!.Trim();
            if (!IsServerId(serverId))
            {
                return Fail($"--server '{serverId}' is not a forward server ID: IDs look like <name>.<slug>, e.g. db.alice-7f0c, as 'tunnelctl port-forward server' prints them");
            }

            if (!ForwardSource.TryParse(result.GetValue(source), out var forwardSource, out var problem))
            {
                return Fail($"--source: {problem}");
            }

            if (!TryParseTarget(result.GetValue(target)!, out var targetEndPoint, out problem))
            {
                return Fail($"--target: {problem}");
            }

            if (!edge.TryResolve(result, out var settings, out problem))
            {
                return Fail(problem);
            }

            var options = new ForwardClientOptions
            {
                Edge = settings,
                ServerId = serverId,
                Source = forwardSource,
                Target = targetEndPoint,
                AuthToken = authToken!.Trim(),
                UdpIdleTimeout = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(udpIdle))),
            };
            return await RunClientAsync(options, ct);
        });
        return command;
    }

    private static async Task<int> RunClientAsync(ForwardClientOptions options, CancellationToken ct)
    {
        using var loggerFactory = ConsoleLogging.Create("TUNNEL_LOG");
        var (client, error) = ForwardClient.Bind(options, loggerFactory);
        if (client is null)
        {
            return Fail(error!);
        }

        await using var _ = client;
        using var stop = StopOnSignals(ct, out var registrations);
        using var __ = registrations;
        var scheme = options.Source.Scheme;
        Console.Out.WriteLine($"listening on {scheme} {client.LocalEndPoint}");
        Console.Out.Flush();
        client.Retrying += (outcome, delay) =>
            Console.Error.WriteLine($"{TunnelCommand.Explain(outcome, ToTunnelOptions(options.Edge))}\nretrying in {delay.TotalSeconds:0.0}s");
        client.Connected += status =>
        {
            if (status.Probe.Status == ForwardStatus.Ok)
            {
                Console.Out.WriteLine($"forwarding {scheme} {client.LocalEndPoint} -> {options.Source} through server {options.ServerId}");
                Console.Out.WriteLine("tunnelctl port-forward ready");
                Console.Out.Flush();
            }
            else if (!ForwardReplies.IsPermanent(status.Probe.Status))
            {
                var explanation = ForwardReplies.Explain(status.Probe, options.ServerId);
                Console.Error.WriteLine($"warning: {(explanation.StartsWith("Error: ", StringComparison.Ordinal) ? explanation["Error: ".Length..] : explanation)}");
                Console.Error.WriteLine("still listening; connections are forwarded once the server is reachable");
            }
        };
        var outcome = await client.RunAsync(null, stop.Token);
        return outcome.Kind == AgentOutcomeKind.Stopped ? 0 : Fail(outcome.Message.StartsWith("Error:", StringComparison.Ordinal) ? outcome.Message : TunnelCommand.Explain(outcome, ToTunnelOptions(options.Edge)));
    }

    private static bool IsServerId(string id)
    {
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < id.Length - 1 && id.IndexOf('.', dot + 1) < 0
            && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
    }

    private static bool TryParseTarget(string text, out IPEndPoint endPoint, out string problem)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (!ForwardSource.TrySplitHostPort(text.Trim(), out var host, out var port, out problem))
        {
            problem = $"'{text}': {problem}, e.g. 127.0.0.1:2222";
            return false;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            problem = $"'{text}': listen on an IP address, e.g. 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    private static string Describe(IReadOnlyList<IPNetwork> networks) => networks.Count == 0 ? "none" : string.Join(", ", networks);

    private static TunnelClientOptions ToTunnelOptions(EdgeSettings edge) =>
        new() { Endpoint = edge.Endpoint, Token = edge.Token, Target = new Uri("tcp://forward"), CaCertificatePath = edge.CaCertificatePath };

    private static CancellationTokenSource StopOnSignals(CancellationToken ct, out IDisposable registrations)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        registrations = new Registrations(sigterm, sigint);
        return stop;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message.StartsWith("Error:", StringComparison.Ordinal) ? message : $"error: {message}");
        return 2;
    }

    private sealed class Registrations(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }

    /// <summary>The edge connection flags both subcommands share, with the saved login as default.</summary>
    private sealed class EdgeOptionSet
    {
        private readonly Option<string?> _endpoint = new("--endpoint") { Description = "Override the saved control endpoint (a server may list several edges, comma-separated, and serves on each)" };
        private readonly Option<string?> _token = new("--token") { Description = "Override the saved edge API token [env: TUNNEL_TOKEN]" };
        private readonly Option<string?> _caCert = new("--ca-cert") { Description = "PEM CA to trust for the endpoint" };
        private readonly Option<string> _config = new("--config") { Description = "Config file written by login", DefaultValueFactory = _ => ClientConfig.DefaultPath };

        public void AddTo(Command command)
        {
            command.Options.Add(_endpoint);
            command.Options.Add(_token);
            command.Options.Add(_caCert);
            command.Options.Add(_config);
        }

        /// <summary>
        /// Like <see cref="TryResolve"/>, for a command that connects to several edges:
        /// --endpoint may list them comma-separated, all reached with the same token and CA.
        /// </summary>
        public bool TryResolveAll(ParseResult result, out IReadOnlyList<EdgeSettings> edges, out string problem)
        {
            edges = [];
            if (!TryResolve(result, out var first, out problem))
            {
                return false;
            }

            var list = new List<EdgeSettings>();
            foreach (var endpoint in (result.GetValue(_endpoint) ?? first.Endpoint.ToString()).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                {
                    problem = $"endpoint '{endpoint}' must be an https:// URL";
                    return false;
                }

                if (!list.Any(e => e.Endpoint == uri))
                {
                    list.Add(first with { Endpoint = uri });
                }
            }

            edges = list;
            return true;
        }

        public bool TryResolve(ParseResult result, out EdgeSettings settings, out string problem)
        {
            settings = null!;
            ClientConfig? saved;
            try
            {
                saved = ClientConfig.Load(result.GetValue(_config)!);
            }
            catch (InvalidDataException e)
            {
                problem = e.Message;
                return false;
            }

            // A server may list several edges; everything else about them is shared, so the first stands for all here.
            var endpoint = (result.GetValue(_endpoint) ?? saved?.Endpoint)?.Split(',', StringSplitOptions.TrimEntries)[0];
            var token = result.GetValue(_token) ?? Environment.GetEnvironmentVariable("TUNNEL_TOKEN") ?? saved?.Token;
            if (endpoint is null)
            {
                problem = "no endpoint: run 'tunnelctl login --token <TOKEN> --endpoint https://<edge>:443' first, or pass --endpoint";
                return false;
            }

            if (string.IsNullOrWhiteSpace(token))
            {
                problem = "no edge token: run 'tunnelctl login --token <TOKEN>' first, pass --token, or set TUNNEL_TOKEN";
                return false;
            }

            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                problem = $"endpoint '{endpoint}' must be an https:// URL";
                return false;
            }

            settings = new EdgeSettings { Endpoint = uri, Token = token.Trim(), CaCertificatePath = result.GetValue(_caCert) ?? saved?.CaCert };
            problem = string.Empty;
            return true;
        }
    }
}
