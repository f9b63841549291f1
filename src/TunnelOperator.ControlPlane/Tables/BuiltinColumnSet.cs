using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tables;

/// <summary>
/// The columns of a built-in kind and the function that computes one object's cells at a given time, the way
/// the apiserver's printers (kubernetes pkg/printers/internalversion/printers.go) compute them with Wide output.
/// </summary>
public sealed record BuiltinColumnSet(IReadOnlyList<ColumnDefinition> Columns, Func<JsonObject, DateTimeOffset, IReadOnlyList<JsonNode?>> Cells);
