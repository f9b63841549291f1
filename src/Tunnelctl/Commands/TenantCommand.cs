using System.CommandLine;

namespace Tunnelctl.Commands;

/// <summary><c>tunnelctl tenant leave</c>: a tenant decommissions itself in one step.</summary>
internal static class TenantCommand
{
    public static Command Create()
    {
        var tenant = new Command("tenant", "Your tenant on the hub");
        var hub = new TenantHub();
        var leave = new Command("leave", "Remove your tenant from the hub: hostnames, ports and invite go, agents are disconnected");
        hub.AddTo(leave);
        leave.SetAction(async (result, ct) =>
        {
            var (client, error) = hub.Connect(result);
            if (client is null)
            {
                return AgentCommand.Fail(error!);
            }

            using (client)
            {
                var left = await client.LeaveAsync(ct);
                if (!left.Ok)
                {
                    return AgentCommand.Fail(left.Error!);
                }

                Console.WriteLine("the tenant left the hub; its invite token no longer works");
                return 0;
            }
        });
        tenant.Subcommands.Add(leave);
        return tenant;
    }
}
