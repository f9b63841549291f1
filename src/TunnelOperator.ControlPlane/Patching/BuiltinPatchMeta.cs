namespace TunnelOperator.ControlPlane.Patching;

/// <summary>
/// Patch metadata of the built-in kinds the local control plane serves, transcribed from the Go struct tags
/// (patchStrategy, patchMergeKey) and markers (+listType, +listMapKey, +mapType, +structType) of
/// k8s.io/api core/v1, apps/v1, coordination/v1, events/v1, rbac/v1, k8s.io/apimachinery meta/v1 and
/// k8s.io/apiextensions-apiserver apiextensions/v1. Only fields with a tag are listed; every other field merges
/// maps and replaces lists, which is what an untagged field does. Unknown kinds get ObjectMeta only.
/// </summary>
public static class BuiltinPatchMeta
{
    public static IPatchMeta For(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("v1", "Pod") => Pod,
        ("v1", "PodTemplate") => Object(("template", Struct(PodTemplateSpec))),
        ("apps/v1", "Deployment") => Deployment,
        ("apps/v1", "ReplicaSet") => ReplicaSet,
        ("apps/v1", "StatefulSet" or "DaemonSet") => Deployment,
        ("v1", "Service") => Service,
        ("v1", "Namespace") => Namespace,
        ("v1", "ConfigMap" or "Secret") => DataObject,
        ("v1", "Event") or ("events.k8s.io/v1", "Event") => Object(),
        ("coordination.k8s.io/v1", "Lease") => Object(),
        ("rbac.authorization.k8s.io/v1", "Role" or "ClusterRole") => RbacRole,
        ("rbac.authorization.k8s.io/v1", "RoleBinding" or "ClusterRoleBinding") => RbacBinding,
        ("apiextensions.k8s.io/v1", "CustomResourceDefinition") => CustomResourceDefinition,
        _ => Object(),
    };

    /// <summary>ObjectMeta (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).</summary>
    internal static readonly PatchMeta ObjectMeta = Meta(
        ("ownerReferences", MergeList("uid")),
        ("finalizers", new PatchFieldMeta(Strategy: "merge", ListType: "set")),
        ("managedFields", Atomic()),
        ("labels", Map()),
        ("annotations", Map()));

    /// <summary>Conditions lists: merged by type (e.g. DeploymentStatus, PodStatus, NamespaceStatus).</summary>
    private static readonly PatchFieldMeta Conditions = MergeList("type");

    private static readonly PatchMeta Container = Meta(
        ("ports", MergeList("containerPort", keys: ["containerPort", "protocol"])),
        ("env", MergeList("name")),
        ("envFrom", Atomic()),
        ("volumeMounts", MergeList("mountPath")),
        ("volumeDevices", MergeList("devicePath")),
        ("resizePolicy", Atomic()),
        ("args", Atomic()),
        ("command", Atomic()),
        ("resources", Struct(Meta(
            ("claims", new PatchFieldMeta(ListType: "map", ListMapKeys: ["name"])), // +listType=map, no patch tags
            ("limits", Map()),
            ("requests", Map())))));

    private static readonly PatchMeta PodSpec = Meta(
        ("volumes", MergeList("name", strategy: "merge,retainKeys")),
        ("initContainers", MergeList("name", Container)),
        ("containers", MergeList("name", Container)),
        ("ephemeralContainers", MergeList("name", Container)),
        ("imagePullSecrets", MergeList("name")),
        ("tolerations", Atomic()),
        ("hostAliases", MergeList("ip")),
        ("topologySpreadConstraints", MergeList("topologyKey", keys: ["topologyKey", "whenUnsatisfiable"])),
        ("readinessGates", Atomic()),
        ("schedulingGates", MergeList("name")),
        ("resourceClaims", MergeList("name", strategy: "merge,retainKeys")),
        ("nodeSelector", new PatchFieldMeta(MapType: "atomic") { IsMap = true }),
        ("overhead", Map()));

    private static readonly PatchMeta PodTemplateSpec = Meta(("metadata", Struct(ObjectMeta)), ("spec", Struct(PodSpec)));

    private static readonly PatchMeta Pod = Object(
        ("spec", Struct(PodSpec)),
        ("status", Struct(Meta(
            ("conditions", Conditions),
            ("podIPs", new PatchFieldMeta(Strategy: "merge", MergeKey: "ip", ListType: "atomic")),
            ("hostIPs", new PatchFieldMeta(Strategy: "merge", MergeKey: "ip", ListType: "atomic")),
            ("containerStatuses", Atomic()),
            ("initContainerStatuses", Atomic()),
            ("ephemeralContainerStatuses", Atomic())))));

    // LabelSelector is +structType=atomic: server-side apply owns it whole; strategic merge merges its maps.
    private static readonly PatchFieldMeta LabelSelector = new(MapType: "atomic");

    private static readonly PatchMeta Deployment = Object(
        ("spec", Struct(Meta(
            ("selector", LabelSelector),
            ("template", Struct(PodTemplateSpec)),
            ("strategy", new PatchFieldMeta(Strategy: "retainKeys")),
            ("updateStrategy", new PatchFieldMeta(Strategy: "retainKeys")),
            ("volumeClaimTemplates", Atomic())))),
        ("status", Struct(Meta(("conditions", Conditions)))));

    private static readonly PatchMeta ReplicaSet = Object(
        ("spec", Struct(Meta(("selector", LabelSelector), ("template", Struct(PodTemplateSpec))))),
        ("status", Struct(Meta(("conditions", Conditions)))));

    private static readonly PatchMeta Service = Object(
        ("spec", Struct(Meta(
            ("ports", MergeList("port", keys: ["port", "protocol"])),
            ("selector", new PatchFieldMeta(MapType: "atomic") { IsMap = true }),
            ("clusterIPs", Atomic()),
            ("externalIPs", Atomic()),
            ("ipFamilies", Atomic()),
            ("loadBalancerSourceRanges", Atomic())))),
        ("status", Struct(Meta(
            ("conditions", Conditions),
            ("loadBalancer", Struct(Meta(("ingress", Atomic()))))))));

    private static readonly PatchMeta DataObject = Object(("data", Map()), ("binaryData", Map()), ("stringData", Map()));

    private static readonly PatchMeta Namespace = Object(
        ("spec", Struct(Meta(("finalizers", Atomic())))),
        ("status", Struct(Meta(("conditions", Conditions)))));

    private static readonly PatchMeta CustomResourceDefinition = Object(
        ("spec", Struct(Meta(
            ("versions", Atomic()),
            ("names", Struct(Meta(("shortNames", Atomic()), ("categories", Atomic())))),
            ("conversion", Struct(Meta(("webhook", Struct(Meta(("conversionReviewVersions", Atomic())))))))))),
        ("status", Struct(Meta(
            ("conditions", Conditions),
            ("storedVersions", Atomic()),
            ("acceptedNames", Struct(Meta(("shortNames", Atomic()), ("categories", Atomic()))))))));

    // rbac/v1: rules, subjects and selectors are +listType=atomic; RoleRef and Subject are +structType=atomic.
    private static readonly PatchMeta RbacRole = Object(
        ("rules", Atomic()),
        ("aggregationRule", Struct(Meta(("clusterRoleSelectors", Atomic())))));

    private static readonly PatchMeta RbacBinding = Object(
        ("subjects", Atomic()),
        ("roleRef", new PatchFieldMeta(MapType: "atomic")));

    private static PatchMeta Object(params (string Name, PatchFieldMeta Field)[] fields) =>
        Meta([("metadata", Struct(ObjectMeta)), .. fields]);

    private static PatchMeta Meta(params (string Name, PatchFieldMeta Field)[] fields) =>
        new(fields.ToDictionary(f => f.Name, f => f.Field, StringComparer.Ordinal));

    private static PatchFieldMeta Struct(IPatchMeta type) => new(Type: type);

    private static PatchFieldMeta Atomic() => new(ListType: "atomic");

    private static PatchFieldMeta Map() => new() { IsMap = true };

    // patchStrategy=merge, patchMergeKey=key, +listType=map with the listMapKeys (the merge key by default).
    private static PatchFieldMeta MergeList(string key, IPatchMeta? element = null, string strategy = "merge", IReadOnlyList<string>? keys = null) =>
        new(Strategy: strategy, MergeKey: key, Type: element, ListType: "map", ListMapKeys: keys ?? [key]);
}
