using System.CommandLine;
using TunnelOperator.Protocol.Tenants;

namespace Tunnelctl.Commands;

/// <summary>The invite token, hub URL and CA options of the tenant's hub commands.</summary>
internal sealed class TenantHub
{
    public Option<string?> Invite { get; } = AgentCommand.Env("--invite-token", "TUNNEL_INVITE_TOKEN", "The tenant's invite token (it authenticates the tenant)");
    public Option<string?> HubUrl { get; } = AgentCommand.Env("--hub-url", "TUNNEL_HUB_URL", "Hub API URL (default: the one in the invite token)");
    public Option<string?> CaCert { get; } = AgentCommand.Env("--ca-cert", "TUNNEL_CA_CERT", "PEM CA to trust for the hub");

    public void AddTo(Command command)
    {
        command.Options.Add(Invite);
        command.Options.Add(HubUrl);
        command.Options.Add(CaCert);
    }

    public (HubClient? Client, string? Error) Connect(ParseResult result)
    {
        var token = result.GetValue(Invite);
        if (!InviteToken.TryParse(token, out var invite, out var problem))
        {
            return (null, string.IsNullOrWhiteSpace(token) ? "no invite token: set TUNNEL_INVITE_TOKEN or pass --invite-token" : $"--invite-token: {problem}");
        }

        var url = result.GetValue(HubUrl) ?? invite.HubUrl;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return (null, "no usable hub URL: pass --hub-url https://<hub>:7777");
        }

        try
        {
            return (new HubClient(uri, token!, result.GetValue(CaCert)), null);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            return (null, $"--ca-cert: {e.Message}");
        }
    }
}
