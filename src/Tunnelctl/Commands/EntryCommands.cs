using System.CommandLine;
using System.Globalization;
using TunnelOperator.Protocol.Tenants;

namespace Tunnelctl.Commands;

/// <summary><c>tunnelctl entry submit|list</c>: a tenant manages its own hostnames on the hub.</summary>
internal static class EntryCommands
{
    public static Command Create()
    {
        var entry = new Command("entry", "Manage the hostnames your tenant holds on the hub");
        entry.Subcommands.Add(Submit());
        entry.Subcommands.Add(List());
        return entry;
    }

    private static Command Submit()
    {
        var hub = new TenantHub();
        var op = new Option<string>("--op") { Description = "upsert-hostname or delete-hostname", Required = true };
        op.AcceptOnlyFromAmong("upsert-hostname", "delete-hostname");
        var hostname = new Option<string>("--hostname") { Description = "The hostname (within what your invite allows)", Required = true };
        var command = new Command("submit", "Claim or release a hostname");
        command.Options.Add(op);
        command.Options.Add(hostname);
        hub.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var (client, error) = hub.Connect(result);
            if (client is null)
            {
                return AgentCommand.Fail(error!);
            }

            using (client)
            {
                var submitted = await client.SubmitEntryAsync(new SubmitEntryRequest(result.GetValue(op)!, result.GetValue(hostname)!), ct);
                if (!submitted.Ok)
                {
                    return AgentCommand.Fail($"refused: {submitted.Error}");
                }

                Console.WriteLine(result.GetValue(op) == "upsert-hostname" ? $"holding {submitted.Value!.Hostname}" : $"released {submitted.Value!.Hostname}");
                return 0;
            }
        });
        return command;
    }

    private static Command List()
    {
        var hub = new TenantHub();
        var command = new Command("list", "List the hostnames and ports your tenant holds");
        hub.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var (client, error) = hub.Connect(result);
            if (client is null)
            {
                return AgentCommand.Fail(error!);
            }

            using (client)
            {
                var listed = await client.ListEntriesAsync(ct);
                if (!listed.Ok)
                {
                    return AgentCommand.Fail(listed.Error!);
                }

                Console.WriteLine($"{"KIND",-9} {"HOSTNAME/PORT",-40} {"SERVICE",-24} {"SOURCE",-7} CREATED");
                foreach (var e in listed.Value!)
                {
                    Console.WriteLine($"{e.Kind,-9} {e.Key,-40} {e.Service,-24} {e.Source,-7} {e.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}");
                }

                return 0;
            }
        });
        return command;
    }
}
