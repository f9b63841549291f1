using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>Builders for test objects and the sample CRD (group example.tunneloperator.io).</summary>
internal static class Objects
{
    public const string Group = "example.tunneloperator.io";

    public static JsonObject Namespace(string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };

    public static JsonObject ConfigMap(string name, string? ns = null, string data = "{}", string labels = "{}")
    {
        var meta = new JsonObject { ["name"] = name, ["labels"] = JsonNode.Parse(labels) };
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = JsonNode.Parse(data) };
    }

    public static JsonObject Widget(string name, int port = 80, string extraSpec = "")
    {
        var spec = JsonNode.Parse("{\"port\":" + port + extraSpec + "}")!;
        return new JsonObject { ["apiVersion"] = "example.tunneloperator.io/v1", ["kind"] = "Widget", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    /// <summary>Makes <paramref name="dependent"/> owned by <paramref name="owner"/>.</summary>
    public static JsonObject OwnedBy(JsonObject dependent, JsonObject owner, bool blockOwnerDeletion = false)
    {
        var refs = new JsonArray(new JsonObject
        {
            ["apiVersion"] = owner["apiVersion"]!.GetValue<string>(),
            ["kind"] = owner["kind"]!.GetValue<string>(),
            ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
            ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
            ["blockOwnerDeletion"] = blockOwnerDeletion,
        });
        dependent["metadata"]!["ownerReferences"] = refs;
        return dependent;
    }

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public const string WidgetCrdJson = """
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": {"name": "widgets.example.tunneloperator.io"},
          "spec": {
            "group": "example.tunneloperator.io",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wg"], "categories": ["tunnels"]},
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}},
              "additionalPrinterColumns": [
                {"name": "Port", "type": "integer", "jsonPath": ".spec.port"},
                {"name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"},
                {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}
              ],
              "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {
                    "type": "object",
                    "required": ["port"],
                    "properties": {
                      "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                      "host": {"type": "string", "default": "example.com"},
                      "replicas": {"type": "integer"},
                      "mode": {"type": "string", "enum": ["http", "tcp"]}
                    }
                  },
                  "status": {
                    "type": "object",
                    "properties": {
                      "replicas": {"type": "integer"},
                      "conditions": {"type": "array", "items": {"type": "object", "properties": {
                        "type": {"type": "string"}, "status": {"type": "string"}, "reason": {"type": "string"}, "message": {"type": "string"}}}}
                    }
                  }
                }
              }}
            }]
          }
        }
        """;

    public static JsonObject WidgetCrd() => Parse(WidgetCrdJson);

    public const string Widgets = "/apis/example.tunneloperator.io/v1/namespaces/default/widgets";
}
