namespace TunnelOperator.ControlPlane.Schema;

/// <summary>field.Path rendering (k8s.io/apimachinery/pkg/util/validation/field/path.go): <c>a.b[0][key]</c>.</summary>
internal static class FieldPath
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string Key(string parent, string key) => $"{parent}[{key}]";
}
