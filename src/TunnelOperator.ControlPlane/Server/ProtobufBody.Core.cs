namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// Field numbers of k8s.io/apimachinery meta/v1 and k8s.io/api core/v1 (generated.proto) for the kinds
/// kubectl's typed create commands send: Namespace, ConfigMap, Secret, Service, and Pod with the PodSpec a
/// Deployment's template carries.
/// </summary>
internal static partial class ProtobufBody
{
    private static Schema Of(string name, params (int Number, Field Field)[] fields) => new(name, fields.ToDictionary(f => f.Number, f => f.Field));

    private static readonly Schema OwnerReference = Of("OwnerReference",
        (1, S("kind")), (3, S("name")), (4, S("uid")), (5, S("apiVersion")), (6, B("controller", keep: true)), (7, B("blockOwnerDeletion", keep: true)));

    private static readonly Schema ObjectMeta = Of("ObjectMeta",
        (1, S("name")), (2, S("generateName")), (3, S("namespace")), (5, S("uid")), (6, S("resourceVersion")), (7, I("generation")),
        (8, new Field("creationTimestamp", Kind.Time)), (9, new Field("deletionTimestamp", Kind.Time)), (10, I("deletionGracePeriodSeconds", keep: true)),
        (11, new Field("labels", Kind.MapStringString)), (12, new Field("annotations", Kind.MapStringString)),
        (13, M("ownerReferences", () => OwnerReference, repeated: true)), (14, Strings("finalizers")));

    private static readonly Schema LabelSelectorRequirement = Of("LabelSelectorRequirement", (1, S("key")), (2, S("operator")), (3, Strings("values")));

    private static readonly Schema LabelSelector = Of("LabelSelector",
        (1, new Field("matchLabels", Kind.MapStringString)), (2, M("matchExpressions", () => LabelSelectorRequirement, repeated: true)));

    private static readonly Schema Namespace = Of("Namespace",
        (1, M("metadata", () => ObjectMeta)), (2, M("spec", () => Of("NamespaceSpec", (1, Strings("finalizers"))))), (3, M("status", () => Of("NamespaceStatus", (1, S("phase"))))));

    private static readonly Schema ConfigMap = Of("ConfigMap",
        (1, M("metadata", () => ObjectMeta)), (2, new Field("data", Kind.MapStringString)), (3, new Field("binaryData", Kind.MapStringBytes)), (4, B("immutable", keep: true)));

    private static readonly Schema Secret = Of("Secret",
        (1, M("metadata", () => ObjectMeta)), (2, new Field("data", Kind.MapStringBytes)), (3, S("type")), (4, new Field("stringData", Kind.MapStringString)),
        (5, B("immutable", keep: true)));

    // Service, ServiceSpec, ServicePort, ServiceStatus.
    private static readonly Schema ServicePort = Of("ServicePort",
        (1, S("name")), (2, S("protocol")), (3, I("port")), (4, new Field("targetPort", Kind.IntOrString)), (5, I("nodePort")), (6, S("appProtocol", keep: true)));

    private static readonly Schema ServiceSpec = Of("ServiceSpec",
        (1, M("ports", () => ServicePort, repeated: true)), (2, new Field("selector", Kind.MapStringString)), (3, S("clusterIP")), (4, S("type")),
        (5, Strings("externalIPs")), (7, S("sessionAffinity")), (8, S("loadBalancerIP")), (9, Strings("loadBalancerSourceRanges")), (10, S("externalName")),
        (11, S("externalTrafficPolicy")), (12, I("healthCheckNodePort")), (13, B("publishNotReadyAddresses")), (17, S("ipFamilyPolicy", keep: false)),
        (18, Strings("clusterIPs")), (19, Strings("ipFamilies")), (20, B("allocateLoadBalancerNodePorts", keep: true)), (21, S("loadBalancerClass")),
        (22, S("internalTrafficPolicy")), (23, S("trafficDistribution")));

    private static readonly Schema LoadBalancerIngress = Of("LoadBalancerIngress", (1, S("ip")), (2, S("hostname")), (3, S("ipMode")));

    private static readonly Schema ServiceStatus = Of("ServiceStatus",
        (1, M("loadBalancer", () => Of("LoadBalancerStatus", (1, M("ingress", () => LoadBalancerIngress, repeated: true))))));

    private static readonly Schema Service = Of("Service",
        (1, M("metadata", () => ObjectMeta)), (2, M("spec", () => ServiceSpec)), (3, M("status", () => ServiceStatus)));

    // Schemas reference each other through lambdas, so the order the partial files' fields initialize in never matters
    // (the compiler's flow analysis cannot know that across files).
    private static readonly Schema Pod = Of("Pod", (1, M("metadata", () => ObjectMeta)), (2, M("spec", () => PodSpec!)), (3, M("status", () => Of("PodStatus", (1, S("phase"))))));
}
