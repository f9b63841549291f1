using System.CommandLine;
using TunnelOperator.Agent.Config;

namespace Tunnelctl.Commands;

/// <summary><c>tunnelctl login</c>: save the endpoint and token once per machine.</summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var token = new Option<string?>("--token") { Description = "The API token your edge's operator issued (required unless one is saved already)" };
        var endpoint = new Option<string?>("--endpoint") { Description = "The edge's control endpoint, e.g. https://tnl.example.com:443 (or :7777)" };
        var caCert = new Option<string?>("--ca-cert") { Description = "PEM CA to trust for the endpoint (an edge with a generated CA)" };
        var config = new Option<string>("--config") { Description = "Config file to write", DefaultValueFactory = _ => ClientConfig.DefaultPath };
        var command = new Command("login", "Save the endpoint and token to ~/.tunnelctl/config.yml (mode 0600)");
        command.Options.Add(token);
        command.Options.Add(endpoint);
        command.Options.Add(caCert);
        command.Options.Add(config);
        command.SetAction(result =>
        {
            var path = result.GetValue(config)!;
            ClientConfig existing;
            try
            {
                existing = ClientConfig.Load(path) ?? new ClientConfig();
            }
            catch (InvalidDataException)
            {
                existing = new ClientConfig();
            }

            var endpointValue = result.GetValue(endpoint) ?? existing.Endpoint;
            if (endpointValue is null)
            {
                Console.Error.WriteLine("error: no endpoint saved yet: pass --endpoint https://<edge-host>:443");
                return 2;
            }

            if (!Uri.TryCreate(endpointValue, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                Console.Error.WriteLine($"error: --endpoint '{endpointValue}' must be an https:// URL, e.g. https://tnl.example.com:443");
                return 2;
            }

            var tokenValue = result.GetValue(token) ?? existing.Token;
            if (string.IsNullOrWhiteSpace(tokenValue))
            {
                Console.Error.WriteLine("error: no token saved yet: pass --token <TOKEN> (from 'tunneld admin issue-token' on the edge)");
                return 2;
            }

            var caPath = result.GetValue(caCert);
            if (caPath is not null && !File.Exists(caPath))
            {
                Console.Error.WriteLine($"error: --ca-cert {caPath} does not exist");
                return 2;
            }

            var saved = new ClientConfig
            {
                Endpoint = uri.ToString().TrimEnd('/'),
                Token = tokenValue.Trim(),
                CaCert = caPath is null ? existing.CaCert : Path.GetFullPath(caPath),
            };
            saved.Save(path);
            Console.WriteLine($"saved endpoint {saved.Endpoint} and token to {path}");
            return 0;
        });
        return command;
    }
}
