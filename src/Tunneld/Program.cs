using System.CommandLine;
using Tunneld.Commands;

var root = new RootCommand("tunneld: the TunnelOperator edge (public HTTP(S), agent control plane, admin API)");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(AdminCommands.Create());
root.Subcommands.Add(InviteCommands.Create());
root.Subcommands.Add(TenantCommands.Create());
root.Subcommands.Add(EchoCommand.Create());
root.Subcommands.Add(CrdsCommand.Create());
root.Subcommands.Add(OperatorCommand.Create());
root.Subcommands.Add(LocalCommand.Create());
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
