using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Tables;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// meta.k8s.io/v1 Table responses (what <c>kubectl get</c> prints), built by Tables/TableBuilder with the
/// kind's columns: BuiltinColumns for built-ins (the default Name/Created At set for the others),
/// additionalPrinterColumns for custom resources.
/// </summary>
internal static class TableResponses
{
    public static JsonObject? Table(ResourceDefinition def, IReadOnlyList<JsonObject> objects, string? listResourceVersion, string includeObject, DateTimeOffset now)
    {
        var include = includeObject switch
        {
            "None" => IncludeObject.None,
            "Object" => IncludeObject.Object,
            _ => IncludeObject.Metadata,
        };
        return def.IsCustom
            ? TableBuilder.Build(TableBuilder.FromPrinterColumns(def.PrinterColumns), objects, listResourceVersion, include, now)
            : TableBuilder.Build(BuiltinColumns.For(def.ApiVersion, def.Kind) ?? BuiltinColumns.Default, objects, listResourceVersion, include, now);
    }
}
