using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>The built-in resources the local control plane serves, declared as kube-apiserver's discovery shows them.</summary>
internal static class BuiltinResources
{
    public static IReadOnlyList<ResourceDefinition> Create(ObjectStore store, TimeProvider time, Ipv4Cidr serviceCidr)
    {
        var workloadVerbs = ResourceDefinition.StandardVerbs;
        IReadOnlyList<string> noCollectionDelete = ["create", "delete", "get", "list", "patch", "update", "watch"];
        return
        [
            Core("namespaces", "namespace", "Namespace", namespaced: false, ["ns"]) with { HasStatus = true, Strategy = new NamespaceStrategy(), Verbs = noCollectionDelete },
            Core("configmaps", "configmap", "ConfigMap", namespaced: true, ["cm"]) with { Strategy = new ConfigMapStrategy() },
            Core("endpoints", "endpoints", "Endpoints", namespaced: true, ["ep"]),
            Core("events", "event", "Event", namespaced: true, ["ev"]) with { Strategy = new EventStrategy() },
            Core("pods", "pod", "Pod", namespaced: true, ["po"]) with { HasStatus = true, Categories = ["all"], Strategy = new PodStrategy() },
            Core("secrets", "secret", "Secret", namespaced: true, []) with { Strategy = new SecretStrategy() },
            Core("serviceaccounts", "serviceaccount", "ServiceAccount", namespaced: true, ["sa"]),
            Core("services", "service", "Service", namespaced: true, ["svc"]) with { HasStatus = true, Categories = ["all"], Strategy = new ServiceStrategy(store, serviceCidr), Verbs = noCollectionDelete },
            Apps("deployments", "deployment", "Deployment", ["deploy"]) with { Verbs = workloadVerbs, Strategy = new WorkloadStrategy(deployment: true) },
            Apps("replicasets", "replicaset", "ReplicaSet", ["rs"]) with { Verbs = workloadVerbs, Strategy = new WorkloadStrategy(deployment: false) },
            Rbac("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", namespaced: false, new RoleBindingStrategy()),
            Rbac("clusterroles", "clusterrole", "ClusterRole", namespaced: false, new RoleStrategy()),
            Rbac("rolebindings", "rolebinding", "RoleBinding", namespaced: true, new RoleBindingStrategy()),
            Rbac("roles", "role", "Role", namespaced: true, new RoleStrategy()),
            new ResourceDefinition
            {
                Group = "coordination.k8s.io", Version = "v1", Resource = "leases", Singular = "lease", Kind = "Lease", Namespaced = true,
            },
            new ResourceDefinition
            {
                Group = "apiextensions.k8s.io", Version = "v1", Resource = "customresourcedefinitions", Singular = "customresourcedefinition",
                Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"], Categories = ["api-extensions"],
                HasStatus = true, TracksGeneration = true, Strategy = new CrdStrategy(time),
            },
        ];
    }

    private static ResourceDefinition Core(string resource, string singular, string kind, bool namespaced, IReadOnlyList<string> shortNames) => new()
    {
        Group = "", Version = "v1", Resource = resource, Singular = singular, Kind = kind, Namespaced = namespaced, ShortNames = shortNames,
    };

    // Stored and served, never enforced: every authenticated user may do anything (IAuthorizer is the seam).
    private static ResourceDefinition Rbac(string resource, string singular, string kind, bool namespaced, ResourceStrategy strategy) => new()
    {
        Group = RoleBindingStrategy.Group, Version = "v1", Resource = resource, Singular = singular, Kind = kind, Namespaced = namespaced, Strategy = strategy,
    };

    private static ResourceDefinition Apps(string resource, string singular, string kind, IReadOnlyList<string> shortNames) => new()
    {
        Group = "apps", Version = "v1", Resource = resource, Singular = singular, Kind = kind, Namespaced = true, ShortNames = shortNames,
        Categories = ["all"], HasStatus = true, TracksGeneration = true,
        Scale = new ScaleSpec(".spec.replicas", ".status.replicas", ".spec.selector"),
    };
}
