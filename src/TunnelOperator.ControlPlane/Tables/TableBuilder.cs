using System.Globalization;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.JsonPath;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tables;

/// <summary>
/// Builds meta.k8s.io/v1 Table responses. Custom resources follow the apiextensions tableconvertor
/// (apiextensions-apiserver/pkg/registry/customresource/tableconvertor): a Name column, then each printer
/// column by JSONPath, first result only, converted by column type; with no printer columns the CRD serves a
/// single Age column (customresource_handler.go serveDefaultColumnsIfEmpty). Built-in kinds use
/// <see cref="BuiltinColumns"/>.
/// </summary>
public static partial class TableBuilder
{
    internal const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    internal const string CreationTimestampDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    /// <summary>The Name column every table starts with.</summary>
    public static ColumnDefinition NameColumn { get; } = new("Name", "string", "name", NameDescription, 0, null);

    /// <summary>Builds a table for custom resources from printer columns (as returned by <see cref="FromPrinterColumns"/>).</summary>
    public static JsonObject Build(IReadOnlyList<ColumnDefinition> columns, IReadOnlyList<JsonObject> objects, string? listResourceVersion, IncludeObject include, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(objects);
        var paths = columns.Select(c => c.JsonPath is { } p ? JsonPathExpression.Parse(p) : null).ToList();
        return Assemble(columns, objects, listResourceVersion, include, obj =>
        {
            var cells = new List<JsonNode?>(columns.Count);
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                if (paths[i] is not { } path)
                {
                    cells.Add(column.Format == "name" ? JsonValue.Create(Name(obj)) : null);
                    continue;
                }

                var results = path.Evaluate(obj);
                cells.Add(results.Count == 0 ? null : Cell(column.Type, results[0], now));
            }

            return cells;
        });
    }

    /// <summary>Builds a table for a built-in kind from its column set.</summary>
    public static JsonObject Build(BuiltinColumnSet columnSet, IReadOnlyList<JsonObject> objects, string? listResourceVersion, IncludeObject include, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(columnSet);
        return Assemble(columnSet.Columns, objects, listResourceVersion, include, obj => columnSet.Cells(obj, now));
    }

    /// <summary>
    /// The columns of a CRD version: Name first, then its additionalPrinterColumns (name, type, format,
    /// description, priority, jsonPath), or the default Age column when it declares none.
    /// </summary>
    public static IReadOnlyList<ColumnDefinition> FromPrinterColumns(JsonArray? additionalPrinterColumns)
    {
        var columns = new List<ColumnDefinition> { NameColumn };
        var declared = additionalPrinterColumns?.OfType<JsonObject>().ToList() ?? [];
        if (declared.Count == 0)
        {
            columns.Add(new ColumnDefinition("Age", "date", "", CreationTimestampDescription, 0, ".metadata.creationTimestamp"));
            return columns;
        }

        foreach (var c in declared)
        {
            columns.Add(new ColumnDefinition(
                JsonNodes.GetString(c["name"]) ?? "",
                JsonNodes.GetString(c["type"]) ?? "string",
                JsonNodes.GetString(c["format"]) ?? "",
                JsonNodes.GetString(c["description"]) ?? "",
                c["priority"] is JsonValue p && JsonNodes.TryGetInt64(p, out var priority) ? (int)priority : 0,
                JsonNodes.GetString(c["jsonPath"])));
        }

        return columns;
    }

    private static JsonObject Assemble(IReadOnlyList<ColumnDefinition> columns, IReadOnlyList<JsonObject> objects, string? resourceVersion, IncludeObject include, Func<JsonObject, IReadOnlyList<JsonNode?>> cells)
    {
        var metadata = new JsonObject();
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        var definitions = new JsonArray(columns.Select(c => (JsonNode?)new JsonObject
        {
            ["name"] = c.Name,
            ["type"] = c.Type,
            ["format"] = c.Format,
            ["description"] = c.Description,
            ["priority"] = c.Priority,
        }).ToArray());

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(cells(obj).Select(JsonNodes.Detach).ToArray()) };
            switch (include)
            {
                case IncludeObject.Metadata:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = JsonNodes.Clone(obj["metadata"]) ?? new JsonObject(),
                    };
                    break;
                case IncludeObject.Object:
                    row["object"] = obj.DeepClone();
                    break;
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = definitions,
            ["rows"] = rows,
        };
    }

    internal static string Name(JsonObject obj) => JsonNodes.GetString(obj["metadata"]?["name"]) ?? "";

    // tableconvertor.go cellForJSONValue; "string" columns print like the jsonpath printer does.
    private static JsonNode? Cell(string type, JsonNode? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        var kind = JsonNodes.Kind(value);
        switch (type)
        {
            case "string":
                return JsonValue.Create(GoPrint(value));
            case "integer" when kind == JsonKind.Integer:
                return JsonNodes.Clone(value);
            case "integer" when kind == JsonKind.Number:
                return JsonValue.Create((long)JsonNodes.GetDouble((JsonValue)value));
            case "number" when kind is JsonKind.Integer or JsonKind.Number:
                return JsonValue.Create(JsonNodes.GetDouble((JsonValue)value));
            case "boolean" when kind == JsonKind.Boolean:
                return JsonNodes.Clone(value);
            case "date" when kind == JsonKind.String:
                return JsonValue.Create(Age(JsonNodes.GetString(value)!, now));
            default:
                return null;
        }
    }

    /// <summary>metatable.ConvertToHumanReadableDateType of an RFC 3339 string: "&lt;invalid&gt;" when unparseable.</summary>
    internal static string Age(string timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return "<invalid>";
        }

        return HumanDuration(now - t);
    }

    /// <summary>translateTimestampSince: "&lt;unknown&gt;" for a missing timestamp.</summary>
    internal static string Since(JsonNode? timestamp, DateTimeOffset now) =>
        JsonNodes.GetString(timestamp) is { Length: > 0 } s ? Age(s, now) : "<unknown>";

    /// <summary>fmt.Fprint of a decoded JSON value, as the jsonpath printer writes it.</summary>
    internal static string GoPrint(JsonNode? value) => value switch
    {
        null => "<nil>",
        JsonObject obj => "map[" + string.Join(" ", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{GoPrint(p.Value)}")) + "]",
        JsonArray array => "[" + string.Join(" ", array.Select(GoPrint)) + "]",
        _ => JsonNodes.Kind(value) switch
        {
            JsonKind.String => JsonNodes.GetString(value)!,
            JsonKind.Boolean => JsonNodes.GetBool(value) == true ? "true" : "false",
            _ => GoText.Number((JsonValue)value),
        },
    };
}
