namespace TunnelOperator.ControlPlane.Tables;

/// <summary>
/// A meta.k8s.io/v1 TableColumnDefinition plus the JSONPath that fills it for custom resources
/// (additionalPrinterColumns). Type is a JSON Schema type ("string", "integer", "number", "boolean") or "date";
/// Format "name" marks the object's name column; Priority above 0 means "wide output only".
/// </summary>
public sealed record ColumnDefinition(string Name, string Type, string Format, string Description, int Priority, string? JsonPath);
