using System.CommandLine;
using Tunnelctl.Commands;

var root = new RootCommand("tunnelctl: expose local services through a TunnelOperator edge");
root.Subcommands.Add(LoginCommand.Create());
root.Subcommands.Add(TunnelCommand.Create());
root.Subcommands.Add(AgentCommand.Create());
root.Subcommands.Add(EntryCommands.Create());
root.Subcommands.Add(TenantCommand.Create());
PortForwardCommand.AddTo(root);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
