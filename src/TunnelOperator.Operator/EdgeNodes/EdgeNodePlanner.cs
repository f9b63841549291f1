using System.Globalization;
using System.Text;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.References;
using CoreServiceSpec = TunnelOperator.Kubernetes.Models.Core.ServiceSpec;

namespace TunnelOperator.Operator.EdgeNodes;

/// <summary>
/// The plan step of the EdgeNode controller: the desired children of an edge, built from its spec and
/// nothing else (pure, no I/O). Secrets take their generated values as arguments, so a value generated
/// once is passed in again on every later plan.
/// </summary>
internal static class EdgeNodePlanner
{
    public const string ContainerName = "tunneld";
    public const string DataDirectory = "/var/lib/tunneld";
    public const string CaDirectory = "/etc/tunneld/ca";
    public const string TlsDirectory = "/etc/tunneld/tls";

    /// <summary>Why the operator will not run this spec, or null. The CEL rules' checks plus what this edge cannot do yet.</summary>
    public static (string Reason, string Message)? Refusal(EdgeNodeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var violations = spec.Validate();
        if (violations.FirstOrDefault(v => v.Field == "spec.replicas") is { } replicas)
        {
            return (EdgeNodeReasons.ReplicasNeedPostgres,
                $"{replicas.Field}: {replicas.Message}: SQLite is one file with one writer, so {spec.Replicas} replicas would each keep their own tenants and tokens; set store.type postgres with store.databaseUrlSecretRef, or replicas 1");
        }

        if (violations.Count > 0)
        {
            return (EdgeNodeReasons.InvalidSpec, string.Join("; ", violations.Select(v => $"{v.Field}: {v.Message}")));
        }

        if (spec.Tls.Mode == TlsMode.Acme)
        {
            return (EdgeNodeReasons.UnsupportedTlsMode, "tls.mode acme is not served by this edge yet (ACME comes with its own issue); use selfSigned, or secret with a certificate cert-manager keeps current");
        }

        return null;
    }

    public static Secret AdminTokenSecret(EdgeNode edge, string token) => new()
    {
        Metadata = Meta(edge, EdgeNodeChildren.AdminTokenSecret(edge.Metadata.Name!)),
        Type = "Opaque",
        Data = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [EdgeNodeChildren.AdminTokenKey] = Encoding.UTF8.GetBytes(token) },
    };

    /// <summary>The admin token a Secret holds, if it holds a usable one.</summary>
    public static string? AdminTokenOf(Secret? secret) =>
        secret?.Data?.GetValueOrDefault(EdgeNodeChildren.AdminTokenKey) is { Length: >= 16 } bytes ? Encoding.UTF8.GetString(bytes).Trim() : null;

    public static Secret CaSecret(EdgeNode edge, EdgeCaMaterial ca) => new()
    {
        Metadata = Meta(edge, EdgeNodeChildren.CaSecret(edge.Metadata.Name!)),
        Type = "Opaque",
        Data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [EdgeNodeChildren.CaCertificateKey] = Encoding.UTF8.GetBytes(ca.CertificatePem),
            [EdgeNodeChildren.CaKeyKey] = Encoding.UTF8.GetBytes(ca.KeyPem),
        },
    };

    /// <summary>The edge's Deployment: <c>tunneld serve</c> configured from the spec, listening on the pod IP.</summary>
    public static Deployment Deployment(EdgeNode edge, string image)
    {
        var name = edge.Metadata.Name!;
        var spec = edge.Spec;
        var ports = spec.Ports;
        var args = new List<string>
        {
            "serve",
            "--base-host", spec.BaseHost,
            "--http-addr", $"$(POD_IP):{ports.Http}",
            "--https-addr", $"$(POD_IP):{ports.Https}",
            "--control-addr", $"$(POD_IP):{ports.Control}",
            "--admin-addr", $"$(POD_IP):{ports.Admin}",
            "--public-port", Number(ports.Https),
            "--max-concurrent", Number(spec.MaxConcurrentRequests),
            "--max-request-body-bytes", (spec.MaxRequestBodyBytes ?? 0).ToString(CultureInfo.InvariantCulture),
            "--data-dir", DataDirectory,
            "--tls-ca-cert", $"{CaDirectory}/{EdgeNodeChildren.CaCertificateKey}",
            "--tls-ca-key", $"{CaDirectory}/{EdgeNodeChildren.CaKeyKey}",
            "--tls-names", string.Join(',', EdgeNodeChildren.ServiceNames(edge)),
        };
        if (spec.Tls.Mode == TlsMode.Secret)
        {
            args.AddRange(["--tls-cert", $"{TlsDirectory}/tls.crt", "--tls-key", $"{TlsDirectory}/tls.key"]);
        }

        var env = new List<EnvVar>
        {
            new() { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
            SecretEnv("TUNNELD_ADMIN_TOKEN", EdgeNodeChildren.AdminTokenSecret(name), EdgeNodeChildren.AdminTokenKey),
        };
        if (spec.Store.Type == StoreType.Postgres && spec.Store.DatabaseUrlSecretRef is { } database)
        {
            env.Add(SecretEnv("TUNNELD_DATABASE_URL", database.Name, database.Key));
        }

        var mounts = new List<VolumeMount>
        {
            new() { Name = "data", MountPath = DataDirectory },
            new() { Name = "ca", MountPath = CaDirectory, ReadOnly = true },
        };
        var volumes = new List<Volume>
        {
            new() { Name = "data", EmptyDir = new EmptyDirVolumeSource() },
            new() { Name = "ca", Secret = new SecretVolumeSource { SecretName = EdgeNodeChildren.CaSecret(name), DefaultMode = 0x100 } },
        };
        if (spec.Tls.Mode == TlsMode.Secret && spec.Tls.SecretName is { } tlsSecret)
        {
            mounts.Add(new VolumeMount { Name = "tls", MountPath = TlsDirectory, ReadOnly = true });
            volumes.Add(new Volume { Name = "tls", Secret = new SecretVolumeSource { SecretName = tlsSecret, DefaultMode = 0x100 } });
        }

        var admin = IntOrString.FromInt(ports.Admin);
        return new Deployment
        {
            Metadata = Meta(edge, EdgeNodeChildren.Deployment(name)),
            Spec = new DeploymentSpec
            {
                Replicas = spec.Replicas,
                Selector = new LabelSelector { MatchLabels = EdgeNodeChildren.SelectorLabels(name) },
                // One SQLite file has one writer: the old pod goes before the new one starts.
                Strategy = spec.Store.Type == StoreType.Sqlite ? new DeploymentStrategy { Type = "Recreate" } : null,
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = EdgeNodeChildren.Labels(name) },
                    Spec = new PodSpec
                    {
                        // Service links would put variables such as TUNNELD_PUBLIC_PORT=tcp://... into the
                        // environment, where tunneld reads its TUNNELD_* settings.
                        EnableServiceLinks = false,
                        AutomountServiceAccountToken = false,
                        Containers =
                        [
                            new Container
                            {
                                Name = ContainerName,
                                Image = spec.Image ?? image,
                                Command = ["tunneld"],
                                Args = args,
                                Env = env,
                                Ports =
                                [
                                    new ContainerPort { Name = "http", Port = ports.Http },
                                    new ContainerPort { Name = "https", Port = ports.Https },
                                    new ContainerPort { Name = "control", Port = ports.Control },
                                    new ContainerPort { Name = "admin", Port = ports.Admin },
                                ],
                                ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/readyz", Port = admin }, PeriodSeconds = 2, FailureThreshold = 3 },
                                LivenessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz", Port = admin }, PeriodSeconds = 10, FailureThreshold = 3, InitialDelaySeconds = 5 },
                                Resources = new ResourceRequirements
                                {
                                    Requests = new Dictionary<string, string>(StringComparer.Ordinal) { ["cpu"] = "100m", ["memory"] = "128Mi" },
                                },
                                VolumeMounts = mounts,
                            },
                        ],
                        Volumes = volumes,
                    },
                },
            },
        };
    }

    /// <summary>The public Service: http, https and the agents' control port, of the spec's type.</summary>
    public static Service PublicService(EdgeNode edge)
    {
        var name = edge.Metadata.Name!;
        var ports = edge.Spec.Ports;
        var meta = Meta(edge, EdgeNodeChildren.PublicService(name));
        if (edge.Spec.Service.Annotations is { Count: > 0 } annotations)
        {
            meta = meta with { Annotations = new Dictionary<string, string>(annotations, StringComparer.Ordinal) };
        }

        return new Service
        {
            Metadata = meta,
            Spec = new CoreServiceSpec
            {
                Type = edge.Spec.Service.Type.ToString(),
                Selector = EdgeNodeChildren.SelectorLabels(name),
                Ports =
                [
                    new ServicePort { Name = "http", Port = ports.Http, TargetPort = IntOrString.FromInt(ports.Http), Protocol = "TCP" },
                    new ServicePort { Name = "https", Port = ports.Https, TargetPort = IntOrString.FromInt(ports.Https), Protocol = "TCP" },
                    new ServicePort { Name = "control", Port = ports.Control, TargetPort = IntOrString.FromInt(ports.Control), Protocol = "TCP" },
                ],
            },
        };
    }

    /// <summary>The admin Service: ClusterIP, the admin port only. It is never public.</summary>
    public static Service AdminService(EdgeNode edge)
    {
        var name = edge.Metadata.Name!;
        var admin = edge.Spec.Ports.Admin;
        return new Service
        {
            Metadata = Meta(edge, EdgeNodeChildren.AdminService(name)),
            Spec = new CoreServiceSpec
            {
                Type = "ClusterIP",
                Selector = EdgeNodeChildren.SelectorLabels(name),
                Ports = [new ServicePort { Name = "admin", Port = admin, TargetPort = IntOrString.FromInt(admin), Protocol = "TCP" }],
            },
        };
    }

    private static ObjectMeta Meta(EdgeNode edge, string name) => new()
    {
        Name = name,
        Namespace = edge.Metadata.Namespace,
        Labels = EdgeNodeChildren.Labels(edge.Metadata.Name!),
        OwnerReferences = [OwnerReferences.For(edge, controller: true)],
    };

    private static EnvVar SecretEnv(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = secret, Key = key } } };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
