using System.CommandLine;
using TunnelOperator.Crds;

namespace Tunneld.Commands;

/// <summary>
/// <c>tunneld crds</c>: the CustomResourceDefinitions of the five kinds, generated from their
/// C# types. <c>make manifests</c> writes them to config/crd/bases; without --output-dir they
/// go to standard output, ready for <c>kubectl apply -f -</c>.
/// </summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output-dir") { Description = "Write one YAML file per kind into this directory instead of printing them" };
        var command = new Command("crds", "Print or write the tunneloperator.io CustomResourceDefinitions");
        command.Options.Add(output);
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(output) is { } directory)
            {
                await CrdManifests.WriteAllAsync(directory, ct);
                Console.Out.WriteLine($"wrote {CrdManifests.GenerateAll().Count} CustomResourceDefinitions to {directory}");
                return 0;
            }

            var first = true;
            foreach (var (_, yaml) in CrdManifests.GenerateAll())
            {
                if (!first)
                {
                    Console.Out.WriteLine("---");
                }

                Console.Out.Write(yaml);
                first = false;
            }

            return 0;
        });
        return command;
    }
}
