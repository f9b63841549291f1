using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tables;

/// <summary>
/// rbac.authorization.k8s.io/v1 bindings (printers.go printRoleBinding/printClusterRoleBinding): the role as
/// Kind/name, and with wide output the subjects split by kind (rbac.SubjectsStrings). Roles and ClusterRoles
/// have no printer upstream and use the default Name/Created At set.
/// </summary>
public static partial class BuiltinColumns
{
    private static readonly BuiltinColumnSet RoleBindings = Bindings(
        "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.",
        "roleBinding");

    private static readonly BuiltinColumnSet ClusterRoleBindings = Bindings(
        "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.",
        "clusterRoleBinding");

    private static BuiltinColumnSet Bindings(string roleDescription, string noun) => new(
        [TableBuilder.NameColumn,
         Column("Role", roleDescription),
         Age,
         Column("Users", $"Users in the {noun}", priority: 1),
         Column("Groups", $"Groups in the {noun}", priority: 1),
         Column("ServiceAccounts", $"ServiceAccounts in the {noun}", priority: 1)],
        BindingCells);

    private static IReadOnlyList<JsonNode?> BindingCells(JsonObject o, DateTimeOffset now)
    {
        var subjects = (o["subjects"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        string Of(string kind, Func<JsonObject, string> format) =>
            string.Join(", ", subjects.Where(s => Str(s, "kind") == kind).Select(format));
        return
        [
            Text(TableBuilder.Name(o)),
            Text($"{Str(o, "roleRef", "kind")}/{Str(o, "roleRef", "name")}"),
            AgeOf(o, now),
            Text(Of("User", s => Str(s, "name") ?? "")),
            Text(Of("Group", s => Str(s, "name") ?? "")),
            Text(Of("ServiceAccount", s => $"{Str(s, "namespace")}/{Str(s, "name")}")),
        ];
    }
}
