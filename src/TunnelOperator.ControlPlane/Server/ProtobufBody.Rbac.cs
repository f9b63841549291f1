namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// rbac.authorization.k8s.io/v1 in generated.proto numbering, for <c>kubectl create role|clusterrole|rolebinding|clusterrolebinding</c>.
/// PolicyRule's repeated strings keep empty entries (<c>apiGroups: [""]</c> is the core group).
/// </summary>
internal static partial class ProtobufBody
{
    private static readonly Schema PolicyRule = Of("PolicyRule",
        (1, Strings("verbs")), (2, Strings("apiGroups")), (3, Strings("resources")), (4, Strings("resourceNames")), (5, Strings("nonResourceURLs")));

    private static readonly Schema Role = Of("Role", (1, M("metadata", () => ObjectMeta)), (2, M("rules", () => PolicyRule, repeated: true)));

    private static readonly Schema ClusterRole = Of("ClusterRole",
        (1, M("metadata", () => ObjectMeta)), (2, M("rules", () => PolicyRule, repeated: true)),
        (3, M("aggregationRule", () => Of("AggregationRule", (1, M("clusterRoleSelectors", () => LabelSelector, repeated: true))))));

    private static readonly Schema RoleRef = Of("RoleRef", (1, S("apiGroup")), (2, S("kind")), (3, S("name")));

    private static readonly Schema Subject = Of("Subject", (1, S("kind")), (2, S("apiGroup")), (3, S("name")), (4, S("namespace")));

    private static readonly Schema RoleBinding = Of("RoleBinding",
        (1, M("metadata", () => ObjectMeta)), (2, M("subjects", () => Subject, repeated: true)), (3, M("roleRef", () => RoleRef)));
}
