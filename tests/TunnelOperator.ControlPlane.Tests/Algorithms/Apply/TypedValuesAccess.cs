using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Apply;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Apply;

/// <summary>Reaches the internal value walks for tests that check them directly.</summary>
internal static class TypedValuesAccess
{
    public static FieldSet ToFieldSet(JsonNode? value, ITypeShape shape) => TypedValues.ToFieldSet(value, shape, strict: true);
}
