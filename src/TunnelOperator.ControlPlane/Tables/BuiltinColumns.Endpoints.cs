using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tables;

/// <summary>core/v1 Endpoints: Name, Endpoints (printers.go formatEndpoints), Age.</summary>
public static partial class BuiltinColumns
{
    private static readonly BuiltinColumnSet Endpoints = new(
        [TableBuilder.NameColumn,
         Column("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
         Age],
        (o, now) => [Text(TableBuilder.Name(o)), Text(FormatEndpoints(o)), AgeOf(o, now)]);

    /// <summary>Ready addresses as ip:port per port, at most three, then "+ N more...".</summary>
    private static string FormatEndpoints(JsonObject o)
    {
        if (o["subsets"] is not JsonArray { Count: > 0 } subsets)
        {
            return "<none>";
        }

        const int max = 3;
        var list = new List<string>();
        var count = 0;
        foreach (var subset in subsets.OfType<JsonObject>())
        {
            var addresses = (subset["addresses"] as JsonArray ?? []).OfType<JsonObject>().Select(a => Str(a, "ip") ?? "").ToList();
            var ports = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (ports.Count == 0)
            {
                count += addresses.Count;
                list.AddRange(addresses.Take(max - list.Count));
                continue;
            }

            foreach (var port in ports)
            {
                count += addresses.Count;
                list.AddRange(addresses.Take(Math.Max(0, max - list.Count)).Select(ip => (ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip) + ":" + Int(port, "port")));
            }
        }

        var joined = string.Join(",", list);
        return count > list.Count ? $"{joined} + {count - max} more..." : joined;
    }
}
