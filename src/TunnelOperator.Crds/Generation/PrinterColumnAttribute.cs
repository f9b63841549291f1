namespace TunnelOperator.Crds.Generation;

/// <summary>
/// One column of <c>kubectl get</c> (an additionalPrinterColumn). Columns print in the order
/// they are declared; NAME is always printed first by kubectl and is not declared.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
internal sealed class PrinterColumnAttribute(string name, string type, string jsonPath) : Attribute
{
    public string Name { get; } = name;

    /// <summary>An OpenAPI type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c> or <c>date</c>.</summary>
    public string Type { get; } = type;

    /// <summary>A simple JSONPath into the object, e.g. <c>.status.publicURL</c>.</summary>
    public string JsonPath { get; } = jsonPath;

    public string? Description { get; init; }

    /// <summary>0 prints always; 1 only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }

    public string? Format { get; init; }
}
