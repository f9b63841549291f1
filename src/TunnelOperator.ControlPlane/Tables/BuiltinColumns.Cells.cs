using System.Globalization;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tables;

/// <summary>The cell functions of the kinds whose printers compute more than a field (printers.go).</summary>
public static partial class BuiltinColumns
{
    private static IReadOnlyList<JsonNode?> ServiceCells(JsonObject o, DateTimeOffset now)
    {
        var spec = o["spec"];
        var type = Str(spec, "type") ?? "";
        var clusterIPs = spec?["clusterIPs"] as JsonArray;
        var internalIP = clusterIPs is { Count: > 0 } ? JsonNodes.GetString(clusterIPs[0]) ?? "<none>" : Str(spec, "clusterIP") ?? "<none>";
        var ports = (spec?["ports"] as JsonArray ?? []).OfType<JsonObject>().Select(p =>
        {
            var protocol = Str(p, "protocol") ?? "TCP";
            var nodePort = Int(p, "nodePort");
            return nodePort > 0 ? $"{Int(p, "port")}:{nodePort}/{protocol}" : $"{Int(p, "port")}/{protocol}";
        }).ToList();
        return
        [
            Text(TableBuilder.Name(o)), Text(type), Text(internalIP), Text(ExternalIP(o, type)),
            Text(ports.Count == 0 ? "<none>" : string.Join(",", ports)), AgeOf(o, now),
            Text(FormatLabels(spec?["selector"] as JsonObject)),
        ];
    }

    // getServiceExternalIP with wide output.
    private static string ExternalIP(JsonObject o, string type)
    {
        var external = (o["spec"]?["externalIPs"] as JsonArray ?? []).Select(JsonNodes.GetString).OfType<string>().ToList();
        switch (type)
        {
            case "ClusterIP" or "NodePort":
                return external.Count > 0 ? string.Join(",", external) : "<none>";
            case "LoadBalancer":
                var ingress = (o["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(i => Str(i, "ip") is { Length: > 0 } ip ? ip : Str(i, "hostname") ?? "").Where(s => s.Length > 0).ToList();
                var all = ingress.Concat(external).ToList();
                return all.Count > 0 ? string.Join(",", all) : "<pending>";
            case "ExternalName":
                return Str(o, "spec", "externalName") ?? "";
            default:
                return "<unknown>";
        }
    }

    // labels.FormatLabels: sorted key=value pairs, "<none>" when empty.
    private static string FormatLabels(JsonObject? labels) =>
        labels is { Count: > 0 }
            ? string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={JsonNodes.GetString(p.Value)}"))
            : "<none>";

    private static IReadOnlyList<JsonNode?> DeploymentCells(JsonObject o, DateTimeOffset now)
    {
        var desired = o["spec"]?["replicas"] is JsonValue r && JsonNodes.TryGetInt64(r, out var d) ? d : 1;
        var containers = (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return
        [
            Text(TableBuilder.Name(o)),
            Text($"{Int(o, "status", "readyReplicas")}/{desired}"),
            JsonValue.Create(Int(o, "status", "updatedReplicas")),
            JsonValue.Create(Int(o, "status", "availableReplicas")),
            AgeOf(o, now),
            Text(string.Join(",", containers.Select(c => Str(c, "name")))),
            Text(string.Join(",", containers.Select(c => Str(c, "image")))),
            Text(SelectorString(o["spec"]?["selector"] as JsonObject)),
        ];
    }

    // metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key.
    private static string SelectorString(JsonObject? selector)
    {
        if (selector is null)
        {
            return "<none>";
        }

        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add((key, $"{key}={JsonNodes.GetString(value)}"));
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = Str(expression, "key") ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(JsonNodes.GetString).OfType<string>().Order(StringComparer.Ordinal);
            var text = Str(expression, "operator") switch
            {
                "In" => $"{key} in ({string.Join(",", values)})",
                "NotIn" => $"{key} notin ({string.Join(",", values)})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                _ => key,
            };
            requirements.Add((key, text));
        }

        return string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    private static IReadOnlyList<JsonNode?> EventCells(JsonObject o, DateTimeOffset now)
    {
        var first = Str(o, "firstTimestamp") is { Length: > 0 } ? TableBuilder.Since(o["firstTimestamp"], now) : TableBuilder.Since(o["eventTime"], now);
        var last = Str(o, "lastTimestamp") is { Length: > 0 } ? TableBuilder.Since(o["lastTimestamp"], now) : first;
        var count = Int(o, "count");
        if (o["series"] is JsonObject series)
        {
            last = TableBuilder.Since(series["lastObservedTime"], now);
            count = Int(series, "count");
        }
        else if (count == 0)
        {
            count = 1;
        }

        var involved = o["involvedObject"];
        var kind = (Str(involved, "kind") ?? "").ToLowerInvariant();
        var target = Str(involved, "name") is { Length: > 0 } name ? $"{kind}/{name}" : kind;
        var component = FirstNonEmpty(Str(o, "source", "component"), Str(o, "reportingComponent"));
        var instance = FirstNonEmpty(Str(o, "source", "host"), Str(o, "reportingInstance"));
        var source = instance.Length == 0 ? component : component + ", " + instance;
        return
        [
            Text(last), Text(Str(o, "type")), Text(Str(o, "reason")), Text(target), Text(Str(involved, "fieldPath")),
            Text(source), Text((Str(o, "message") ?? "").Trim()), Text(first), JsonValue.Create(count), Text(TableBuilder.Name(o)),
        ];
    }

    private static string FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";

    private static string Digits(long n) => n.ToString(CultureInfo.InvariantCulture);
}
