using System.CommandLine;
using System.Globalization;
using TunnelOperator.Edge.Tenants;
using TunnelOperator.Protocol.Tenants;

namespace Tunneld.Commands;

/// <summary><c>tunneld invite create|list|revoke</c>: tenants and their invite tokens.</summary>
internal static class InviteCommands
{
    public static Command Create()
    {
        var invite = new Command("invite", "Manage tenant invites (each invite is a tenant)");
        invite.Subcommands.Add(CreateInvite());
        invite.Subcommands.Add(ListInvites());
        invite.Subcommands.Add(RevokeInvite());
        return invite;
    }

    private static Command CreateInvite()
    {
        var target = new HubTarget();
        var name = new Option<string>("--name") { Description = "The tenant's name (unique)", Required = true };
        var hostnames = new Option<string?>("--hostnames") { Description = "Hostnames the tenant may claim, comma-separated; '*.alice.example.eu' allows exactly one more label" };
        var ports = new Option<string?>("--ports") { Description = "TCP/UDP ports the tenant may claim, e.g. 2222,5353,10000-10100 (default: any unprivileged port)" };
        var expires = new Option<string?>("--expires") { Description = "Lifetime of the invite token, e.g. 48h, 30m, 7d (default: never)" };
        var edgeUrls = new Option<string[]>("--edge-url") { Description = "Agent endpoint to put in the token (repeatable; default: every edge that has run on this store)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("create", "Create a tenant and print its invite token on the last line");
        foreach (var option in new Option[] { name, hostnames, ports, expires, edgeUrls })
        {
            command.Options.Add(option);
        }

        target.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            long? seconds = null;
            if (result.GetValue(expires) is { } text)
            {
                if (!TryParseDuration(text, out var lifetime))
                {
                    return HubTarget.Fail($"--expires '{text}' is not a duration: use e.g. 90s, 30m, 48h or 7d");
                }

                seconds = (long)lifetime.TotalSeconds;
            }

            var request = new CreateInviteRequest(result.GetValue(name)!, result.GetValue(hostnames), result.GetValue(ports), seconds,
                [.. (result.GetValue(edgeUrls) ?? []).SelectMany(u => u.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]);
            var (remote, error) = target.Remote(result);
            if (error is not null)
            {
                return HubTarget.Fail(error);
            }

            if (remote is not null)
            {
                using (remote)
                {
                    var created = await remote.CreateInviteAsync(request, ct);
                    return created.Ok ? Print(created.Value!) : HubTarget.Fail(created.Error);
                }
            }

            return await HubTarget.WithStoreAsync(target.Store.Bind(result), async store =>
            {
                var issued = await InviteIssuer.IssueAsync(store, request, ct);
                return issued.Ok
                    ? Print(new CreatedInviteView(InviteIssuer.View(issued.Value.Invite.Invite), issued.Value.Token))
                    : HubTarget.Fail(issued.Message);
            }, ct);
        });
        return command;
    }

    private static int Print(CreatedInviteView created)
    {
        var invite = created.Invite;
        var expiry = invite.ExpiresAt is { } at ? $"expires {at:u}" : "never expires";
        Console.WriteLine($"created tenant {invite.TenantName} (tenant id {invite.TenantId}, invite id {invite.Id}); hostnames: {(invite.Hostnames.Count == 0 ? "none" : string.Join(",", invite.Hostnames))}; ports: {(invite.Ports.Length == 0 ? "any" : invite.Ports)}; {expiry}");
        Console.WriteLine("the invite token is shown only now; give it to the tenant (TUNNEL_INVITE_TOKEN):");
        Console.WriteLine(created.Token);
        return 0;
    }

    private static Command ListInvites()
    {
        var target = new HubTarget();
        var command = new Command("list", "List invites and their tenants (never their secrets)");
        target.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var (remote, error) = target.Remote(result);
            if (error is not null)
            {
                return HubTarget.Fail(error);
            }

            if (remote is not null)
            {
                using (remote)
                {
                    var listed = await remote.ListInvitesAsync(ct);
                    return listed.Ok ? PrintList(listed.Value!) : HubTarget.Fail(listed.Error);
                }
            }

            return await HubTarget.WithStoreAsync(target.Store.Bind(result), async store =>
                PrintList([.. (await store.ListInvitesAsync(ct)).Select(InviteIssuer.View)]), ct);
        });
        return command;
    }

    private static int PrintList(IEnumerable<InviteView> invites)
    {
        Console.WriteLine($"{"INVITE ID",-32}  {"TENANT ID",-32}  {"TENANT",-20}  {"HOSTNAMES",-40}  {"PORTS",-12}  EXPIRES");
        foreach (var i in invites)
        {
            Console.WriteLine($"{i.Id,-32}  {i.TenantId,-32}  {i.TenantName,-20}  {string.Join(",", i.Hostnames),-40}  {(i.Ports.Length == 0 ? "any" : i.Ports),-12}  {(i.ExpiresAt is { } at ? at.ToString("u", CultureInfo.InvariantCulture) : "never")}");
        }

        return 0;
    }

    private static Command RevokeInvite()
    {
        var target = new HubTarget();
        var id = new Option<string>("--id") { Description = "The invite id (from invite list)", Required = true };
        var command = new Command("revoke", "Revoke an invite: its tenant and everything it holds are removed, its agents disconnected");
        command.Options.Add(id);
        target.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var value = result.GetValue(id)!;
            var (remote, error) = target.Remote(result);
            if (error is not null)
            {
                return HubTarget.Fail(error);
            }

            if (remote is not null)
            {
                using (remote)
                {
                    var revoked = await remote.RevokeInviteAsync(value, ct);
                    return revoked.Ok ? Done($"revoked invite {value}; its tenant was removed") : HubTarget.Fail(revoked.Error);
                }
            }

            if (!Guid.TryParse(value, out var inviteId))
            {
                return HubTarget.Fail($"'{value}' is not an invite id; see 'tunneld invite list'");
            }

            return await HubTarget.WithStoreAsync(target.Store.Bind(result), async store =>
                await store.RevokeInviteAsync(inviteId, ct) is { } tenant
                    ? Done($"revoked invite {value}; tenant {tenant:N} was removed (running edges disconnect its agents within their recheck interval)")
                    : HubTarget.Fail($"no invite with id {value}; see 'tunneld invite list'"), ct);
        });
        return command;
    }

    internal static int Done(string message)
    {
        Console.WriteLine(message);
        return 0;
    }

    /// <summary><c>90s</c>, <c>30m</c>, <c>48h</c>, <c>7d</c>, or plain seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim().ToLowerInvariant();
        if (text.Length == 0)
        {
            return false;
        }

        var unit = char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 1e7)
        {
            return false;
        }

        duration = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }
}
