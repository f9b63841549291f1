namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// core/v1 PodSpec and what it holds (containers, env, probes, volumes) in generated.proto numbering, and
/// apps/v1 Deployment around it.
/// </summary>
internal static partial class ProtobufBody
{
    private static readonly Schema LocalObjectReference = Of("LocalObjectReference", (1, S("name")));

    private static readonly Schema KeySelector = Of("KeySelector",
        (1, M("", () => LocalObjectReference, inline: true)), (2, S("key")), (3, B("optional", keep: true)));

    private static readonly Schema EnvVarSource = Of("EnvVarSource",
        (1, M("fieldRef", () => Of("ObjectFieldSelector", (1, S("apiVersion")), (2, S("fieldPath"))))),
        (2, M("resourceFieldRef", () => Of("ResourceFieldSelector", (1, S("containerName")), (2, S("resource")), (3, new Field("divisor", Kind.Quantity))))),
        (3, M("configMapKeyRef", () => KeySelector)), (4, M("secretKeyRef", () => KeySelector)));

    private static readonly Schema EnvVar = Of("EnvVar", (1, S("name")), (2, S("value")), (3, M("valueFrom", () => EnvVarSource)));

    private static readonly Schema EnvSource = Of("EnvSource", (1, M("", () => LocalObjectReference, inline: true)), (2, B("optional", keep: true)));

    private static readonly Schema EnvFromSource = Of("EnvFromSource", (1, S("prefix")), (2, M("configMapRef", () => EnvSource)), (3, M("secretRef", () => EnvSource)));

    private static readonly Schema ContainerPort = Of("ContainerPort", (1, S("name")), (2, I("hostPort")), (3, I("containerPort")), (4, S("protocol")), (5, S("hostIP")));

    private static readonly Schema ResourceRequirements = Of("ResourceRequirements",
        (1, new Field("limits", Kind.MapStringQuantity)), (2, new Field("requests", Kind.MapStringQuantity)),
        (3, M("claims", () => Of("ResourceClaim", (1, S("name")), (2, S("request"))), repeated: true)));

    private static readonly Schema VolumeMount = Of("VolumeMount",
        (1, S("name")), (2, B("readOnly")), (3, S("mountPath")), (4, S("subPath")), (5, S("mountPropagation", keep: true)), (6, S("subPathExpr")));

    private static readonly Schema ProbeHandler = Of("ProbeHandler",
        (1, M("exec", () => Of("ExecAction", (1, Strings("command"))))),
        (2, M("httpGet", () => Of("HTTPGetAction", (1, S("path")), (2, new Field("port", Kind.IntOrString)), (3, S("host")), (4, S("scheme")),
            (5, M("httpHeaders", () => Of("HTTPHeader", (1, S("name")), (2, S("value"))), repeated: true))))),
        (3, M("tcpSocket", () => Of("TCPSocketAction", (1, new Field("port", Kind.IntOrString)), (2, S("host"))))),
        (4, M("grpc", () => Of("GRPCAction", (1, I("port")), (2, S("service", keep: true))))));

    private static readonly Schema Probe = Of("Probe",
        (1, M("", () => ProbeHandler, inline: true)), (2, I("initialDelaySeconds")), (3, I("timeoutSeconds")), (4, I("periodSeconds")),
        (5, I("successThreshold")), (6, I("failureThreshold")), (7, I("terminationGracePeriodSeconds", keep: true)));

    private static readonly Schema Container = Of("Container",
        (1, S("name")), (2, S("image")), (3, Strings("command")), (4, Strings("args")), (5, S("workingDir")),
        (6, M("ports", () => ContainerPort, repeated: true)), (7, M("env", () => EnvVar, repeated: true)), (8, M("resources", () => ResourceRequirements)),
        (9, M("volumeMounts", () => VolumeMount, repeated: true)), (10, M("livenessProbe", () => Probe)), (11, M("readinessProbe", () => Probe)),
        (13, S("terminationMessagePath")), (14, S("imagePullPolicy")), (16, B("stdin")), (17, B("stdinOnce")), (18, B("tty")),
        (19, M("envFrom", () => EnvFromSource, repeated: true)), (20, S("terminationMessagePolicy")), (22, M("startupProbe", () => Probe)),
        (24, S("restartPolicy", keep: true)));

    private static readonly Schema KeyToPath = Of("KeyToPath", (1, S("key")), (2, S("path")), (3, I("mode", keep: true)));

    private static readonly Schema VolumeSource = Of("VolumeSource",
        (2, M("emptyDir", () => Of("EmptyDirVolumeSource", (1, S("medium")), (2, new Field("sizeLimit", Kind.Quantity))))),
        (6, M("secret", () => Of("SecretVolumeSource", (1, S("secretName")), (2, M("items", () => KeyToPath, repeated: true)),
            (3, I("defaultMode", keep: true)), (4, B("optional", keep: true))))),
        (10, M("persistentVolumeClaim", () => Of("PersistentVolumeClaimVolumeSource", (1, S("claimName")), (2, B("readOnly"))))),
        (19, M("configMap", () => Of("ConfigMapVolumeSource", (1, M("", () => LocalObjectReference, inline: true)), (2, M("items", () => KeyToPath, repeated: true)),
            (3, I("defaultMode", keep: true)), (4, B("optional", keep: true))))));

    private static readonly Schema Volume = Of("Volume", (1, S("name")), (2, M("", () => VolumeSource, inline: true)));

    private static readonly Schema Toleration = Of("Toleration", (1, S("key")), (2, S("operator")), (3, S("value")), (4, S("effect")), (5, I("tolerationSeconds", keep: true)));

    private static readonly Schema PodSpec = Of("PodSpec",
        (1, M("volumes", () => Volume, repeated: true)), (2, M("containers", () => Container, repeated: true)), (3, S("restartPolicy")),
        (4, I("terminationGracePeriodSeconds", keep: true)), (5, I("activeDeadlineSeconds", keep: true)), (6, S("dnsPolicy")),
        (7, new Field("nodeSelector", Kind.MapStringString)), (8, S("serviceAccountName")), (9, S("serviceAccount")), (10, S("nodeName")),
        (11, B("hostNetwork")), (12, B("hostPID")), (13, B("hostIPC")), (15, M("imagePullSecrets", () => LocalObjectReference, repeated: true)),
        (16, S("hostname")), (17, S("subdomain")), (19, S("schedulerName")), (20, M("initContainers", () => Container, repeated: true)),
        (21, B("automountServiceAccountToken", keep: true)), (22, M("tolerations", () => Toleration, repeated: true)), (24, S("priorityClassName")),
        (25, I("priority", keep: true)), (27, B("shareProcessNamespace", keep: true)), (29, S("runtimeClassName", keep: true)),
        (30, B("enableServiceLinks", keep: true)), (31, S("preemptionPolicy", keep: true)), (35, B("setHostnameAsFQDN", keep: true)),
        (37, B("hostUsers", keep: true)));

    private static readonly Schema PodTemplateSpec = Of("PodTemplateSpec", (1, M("metadata", () => ObjectMeta)), (2, M("spec", () => PodSpec)));

    // apps/v1
    private static readonly Schema DeploymentSpec = Of("DeploymentSpec",
        (1, I("replicas", keep: true)), (2, M("selector", () => LabelSelector)), (3, M("template", () => PodTemplateSpec)),
        (4, M("strategy", () => Of("DeploymentStrategy", (1, S("type")),
            (2, M("rollingUpdate", () => Of("RollingUpdateDeployment", (1, new Field("maxUnavailable", Kind.IntOrString, Keep: true)), (2, new Field("maxSurge", Kind.IntOrString, Keep: true)))))))),
        (5, I("minReadySeconds")), (6, I("revisionHistoryLimit", keep: true)), (7, B("paused")), (9, I("progressDeadlineSeconds", keep: true)));

    private static readonly Schema DeploymentStatus = Of("DeploymentStatus",
        (1, I("observedGeneration")), (2, I("replicas")), (3, I("updatedReplicas")), (4, I("availableReplicas")), (5, I("unavailableReplicas")),
        (7, I("readyReplicas")), (8, I("collisionCount", keep: true)), (9, I("terminatingReplicas", keep: true)));

    private static readonly Schema Deployment = Of("Deployment",
        (1, M("metadata", () => ObjectMeta)), (2, M("spec", () => DeploymentSpec)), (3, M("status", () => DeploymentStatus)));
}
