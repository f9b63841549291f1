using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TunnelOperator.Agent.Config;
using TunnelOperator.Agent.Connection;
using TunnelOperator.Protocol.Diagnostics;
using TunnelOperator.Protocol.V1;

namespace Tunnelctl.Commands;

/// <summary><c>tunnelctl tunnel</c>: expose a local URL and stay connected until interrupted.</summary>
internal static class TunnelCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Local URL to forward to, e.g. http://127.0.0.1:3000", Required = true };
        var name = new Option<string?>("--name") { Description = "Persistent name: the subdomain becomes <name>-<your-slug>" };
        var takeover = new Option<bool>("--takeover") { Description = "Evict another client of yours that holds the same --name" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Override the saved control endpoint" };
        var token = new Option<string?>("--token") { Description = "Override the saved token [env: TUNNEL_TOKEN]" };
        var caCert = new Option<string?>("--ca-cert") { Description = "PEM CA to trust for the endpoint" };
        var config = new Option<string>("--config") { Description = "Config file written by login", DefaultValueFactory = _ => ClientConfig.DefaultPath };
        var command = new Command("tunnel", "Open a tunnel to a local service and keep it open (reconnects with backoff)");
        foreach (var option in new Option[] { url, name, takeover, endpoint, token, caCert, config })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            ClientConfig? saved;
            try
            {
                saved = ClientConfig.Load(result.GetValue(config)!);
            }
            catch (InvalidDataException e)
            {
                return Fail(e.Message);
            }

            var endpointValue = result.GetValue(endpoint) ?? saved?.Endpoint;
            var tokenValue = result.GetValue(token) ?? Environment.GetEnvironmentVariable("TUNNEL_TOKEN") ?? saved?.Token;
            if (endpointValue is null)
            {
                return Fail("no endpoint: run 'tunnelctl login --token <TOKEN> --endpoint https://<edge>:443' first, or pass --endpoint");
            }

            if (string.IsNullOrWhiteSpace(tokenValue))
            {
                return Fail("no token: run 'tunnelctl login --token <TOKEN>' first, pass --token, or set TUNNEL_TOKEN");
            }

            if (!Uri.TryCreate(endpointValue, UriKind.Absolute, out var endpointUri) || endpointUri.Scheme != Uri.UriSchemeHttps)
            {
                return Fail($"endpoint '{endpointValue}' must be an https:// URL");
            }

            var target = result.GetValue(url)!;
            if (!Uri.TryCreate(target, UriKind.Absolute, out var targetUri) || targetUri.Scheme is not ("http" or "https"))
            {
                return Fail($"--url '{target}' must be an http:// or https:// URL, e.g. http://127.0.0.1:3000");
            }

            var options = new TunnelClientOptions
            {
                Endpoint = endpointUri,
                Token = tokenValue.Trim(),
                Target = targetUri,
                Name = result.GetValue(name),
                Takeover = result.GetValue(takeover),
                CaCertificatePath = result.GetValue(caCert) ?? saved?.CaCert,
            };
            return await RunAsync(options, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(TunnelClientOptions options, CancellationToken ct)
    {
        using var loggerFactory = ConsoleLogging.Create("TUNNEL_LOG");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        var agent = new ReconnectingAgent(new TunnelAgent(options, loggerFactory));
        agent.Retrying += (outcome, delay) =>
            Console.Error.WriteLine($"{Explain(outcome, options)}\nretrying in {delay.TotalSeconds:0.0}s");
        var outcome = await agent.RunAsync(opened =>
        {
            Console.Out.WriteLine("tunnelctl ready");
            Console.Out.WriteLine($"public URL: {opened.PublicUrl}");
            Console.Out.WriteLine($"forwarding to: {options.Target}");
            Console.Out.Flush();
        }, stop.Token);

        if (outcome.Kind == AgentOutcomeKind.Stopped)
        {
            return 0;
        }

        return Fail(Explain(outcome, options));
    }

    /// <summary>The troubleshooting text for each way a connection can fail.</summary>
    public static string Explain(AgentOutcome outcome, TunnelClientOptions options) => outcome switch
    {
        { Kind: AgentOutcomeKind.Refused, Code: ErrorCode.PermissionDenied or ErrorCode.Unauthenticated } =>
            $"Error: PermissionDenied: {outcome.Message}\nThe token is wrong or has been revoked. Get a fresh one from the edge's operator and run 'tunnelctl login --token <TOKEN>'.",
        { Kind: AgentOutcomeKind.Refused, Code: ErrorCode.AlreadyExists } =>
            $"Error: AlreadyExists: {outcome.Message}\nAnother client of yours holds that name. Disconnect it, or run again with --takeover. Waiting for it to go away.",
        { Kind: AgentOutcomeKind.Refused, Code: ErrorCode.InvalidArgument } =>
            $"Error: InvalidArgument: {outcome.Message}",
        { Kind: AgentOutcomeKind.Refused } =>
            $"Error: {outcome.Code}: {outcome.Message}",
        { Kind: AgentOutcomeKind.Unreachable } when outcome.Message.Contains("TLS handshake failed", StringComparison.Ordinal) =>
            $"Error: {outcome.Message}\nThe edge answered, but its certificate is not trusted here. If the edge generated its own CA, pass --ca-cert with a copy of its <data-dir>/ca.crt (or save it once with 'tunnelctl login --ca-cert PATH').",
        { Kind: AgentOutcomeKind.Unreachable } when options.Endpoint.Port == 443 =>
            $"Error: {outcome.Message}\nThe network can't reach the control endpoint. Check it with 'curl -sv https://{options.Endpoint.Host}:443' and ask the edge's operator whether it is up.",
        { Kind: AgentOutcomeKind.Unreachable } =>
            $"Error: {outcome.Message}\nThe network can't reach the control endpoint. Check it with 'curl -sv https://{options.Endpoint.Host}:443'; if TLS handshakes there, run 'tunnelctl login --endpoint https://{options.Endpoint.Host}:443' to use the firewall-friendly port.",
        _ => $"disconnected: {outcome.Message}",
    };

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message.StartsWith("Error:", StringComparison.Ordinal) ? message : $"error: {message}");
        return 2;
    }
}
