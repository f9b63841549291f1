using System.CommandLine;
using TunnelOperator.Agent.Forwards;

namespace Tunnelctl.Commands;

/// <summary><c>tunnelctl generate-token [-c N]</c>: forward auth tokens, one per line.</summary>
internal static class GenerateTokenCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count", "-c") { Description = "How many tokens to print", DefaultValueFactory = _ => 1 };
        var command = new Command("generate-token", "Print new auth tokens for 'tunnelctl port-forward' (i + 16 characters + a check character)");
        command.Options.Add(count);
        command.SetAction(result =>
        {
            var n = result.GetValue(count);
            if (n is < 1 or > 10_000)
            {
                Console.Error.WriteLine("error: --count must be from 1 to 10000");
                return 2;
            }

            for (var i = 0; i < n; i++)
            {
                Console.Out.WriteLine(ForwardToken.Generate());
            }

            return 0;
        });
        return command;
    }
}
