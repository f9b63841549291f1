using System.CommandLine;

namespace Tunneld.Commands;

/// <summary><c>tunneld tenant remove</c>: decommission a tenant as the operator.</summary>
internal static class TenantCommands
{
    public static Command Create()
    {
        var tenant = new Command("tenant", "Manage tenants");
        tenant.Subcommands.Add(Remove());
        return tenant;
    }

    private static Command Remove()
    {
        var target = new HubTarget();
        var id = new Option<string>("--tenant-id") { Description = "The tenant id (from invite list)", Required = true };
        var command = new Command("remove", "Remove a tenant with its invites, hostnames and ports; its agents are disconnected");
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
                    var removed = await remote.RemoveTenantAsync(value, ct);
                    return removed.Ok ? InviteCommands.Done($"removed tenant {value}") : HubTarget.Fail(removed.Error);
                }
            }

            if (!Guid.TryParse(value, out var tenantId))
            {
                return HubTarget.Fail($"'{value}' is not a tenant id; see 'tunneld invite list'");
            }

            return await HubTarget.WithStoreAsync(target.Store.Bind(result), async store =>
                await store.RemoveTenantAsync(tenantId, ct)
                    ? InviteCommands.Done($"removed tenant {value} (running edges disconnect its agents within their recheck interval)")
                    : HubTarget.Fail($"no tenant with id {value}"), ct);
        });
        return command;
    }
}
