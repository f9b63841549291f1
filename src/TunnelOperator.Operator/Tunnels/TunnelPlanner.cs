using System.Globalization;
using System.Text;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.References;
using TunnelOperator.Operator.EdgeNodes;

namespace TunnelOperator.Operator.Tunnels;

/// <summary>
/// The plan step of the Tunnel controller (pure): the token Secret and the agent Deployment. The
/// token itself comes in as an argument: it is issued on the edge once and then read back from the Secret.
/// </summary>
internal static class TunnelPlanner
{
    public const string ContainerName = "agent";
    public const string CaDirectory = "/etc/tunnelctl";

    /// <summary>The Secret holding the Tunnel's token (its only copy) and the edge's CA certificate.</summary>
    public static Secret TokenSecret(Tunnel tunnel, EdgeNode edge, TunnelToken token, byte[] caCertificate)
    {
        ArgumentNullException.ThrowIfNull(token);
        var meta = Meta(tunnel, TunnelChildren.TokenSecret(tunnel.Metadata.Name!));
        return new Secret
        {
            Metadata = meta with
            {
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [WellKnown.TokenIdAnnotation] = token.Id.ToString(),
                    [WellKnown.EdgeUidAnnotation] = edge.Metadata.Uid!,
                    [WellKnown.TokenIssuedAtAnnotation] = token.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                },
            },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [TunnelChildren.TokenKey] = Encoding.UTF8.GetBytes(token.Plaintext),
                [TunnelChildren.CaCertificateKey] = caCertificate,
            },
        };
    }

    /// <summary>The token a Secret holds for <paramref name="edge"/>, or null (missing, unreadable, or issued by an earlier edge of that name).</summary>
    public static TunnelToken? TokenOf(Secret? secret, EdgeNode edge)
    {
        var annotations = secret?.Metadata.Annotations;
        if (secret?.Data?.GetValueOrDefault(TunnelChildren.TokenKey) is not { Length: > 0 } plaintext
            || annotations is null
            || annotations.GetValueOrDefault(WellKnown.EdgeUidAnnotation) != edge.Metadata.Uid
            || !Guid.TryParse(annotations.GetValueOrDefault(WellKnown.TokenIdAnnotation), out var id)
            || !DateTimeOffset.TryParse(annotations.GetValueOrDefault(WellKnown.TokenIssuedAtAnnotation), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var issuedAt))
        {
            return null;
        }

        return new TunnelToken(id, Encoding.UTF8.GetString(plaintext), issuedAt);
    }

    /// <summary>
    /// The agent: <c>tunnelctl tunnel --url TARGET [--name N] [--takeover] --endpoint https://EDGE-SERVICE:CONTROL --ca-cert CA</c>
    /// with <c>TUNNEL_TOKEN</c> from the Secret. The token's id is in the pod template, so a new token rolls the agents.
    /// </summary>
    public static Deployment AgentDeployment(Tunnel tunnel, EdgeNode edge, string targetUrl, Guid tokenId, string image)
    {
        var name = tunnel.Metadata.Name!;
        var spec = tunnel.Spec;
        var args = new List<string> { "tunnel", "--url", targetUrl };
        if (spec.Name is { } tunnelName)
        {
            args.AddRange(["--name", tunnelName]);
        }

        if (spec.Takeover)
        {
            args.Add("--takeover");
        }

        args.AddRange(["--endpoint", EdgeNodeChildren.ControlEndpoint(edge).ToString().TrimEnd('/'), "--ca-cert", $"{CaDirectory}/{TunnelChildren.CaCertificateKey}"]);
        var secret = TunnelChildren.TokenSecret(name);
        return new Deployment
        {
            Metadata = Meta(tunnel, TunnelChildren.AgentDeployment(name)),
            Spec = new DeploymentSpec
            {
                Replicas = spec.Agent.Replicas,
                Selector = new LabelSelector { MatchLabels = TunnelChildren.SelectorLabels(name) },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta
                    {
                        Labels = TunnelChildren.Labels(name),
                        Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [WellKnown.TokenIdAnnotation] = tokenId.ToString() },
                    },
                    Spec = new PodSpec
                    {
                        EnableServiceLinks = false,
                        AutomountServiceAccountToken = false,
                        Containers =
                        [
                            new Container
                            {
                                Name = ContainerName,
                                Image = spec.Agent.Image ?? image,
                                Command = ["tunnelctl"],
                                Args = args,
                                Env =
                                [
                                    new EnvVar
                                    {
                                        Name = "TUNNEL_TOKEN",
                                        ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = secret, Key = TunnelChildren.TokenKey } },
                                    },
                                ],
                                Resources = Resources(spec.Agent.Resources),
                                VolumeMounts = [new VolumeMount { Name = "edge-ca", MountPath = CaDirectory, ReadOnly = true }],
                            },
                        ],
                        Volumes =
                        [
                            new Volume
                            {
                                Name = "edge-ca",
                                Secret = new SecretVolumeSource
                                {
                                    SecretName = secret,
                                    // Only the certificate: the token reaches the process as a variable, not a file.
                                    Items = [new KeyToPath { Key = TunnelChildren.CaCertificateKey, Path = TunnelChildren.CaCertificateKey }],
                                    DefaultMode = 0x124,
                                },
                            },
                        ],
                    },
                },
            },
        };
    }

    private static ResourceRequirements? Resources(ContainerResources? resources) =>
        resources is null || (resources.Limits is not { Count: > 0 } && resources.Requests is not { Count: > 0 })
            ? null
            : new ResourceRequirements
            {
                Limits = resources.Limits is { Count: > 0 } limits ? limits.ToDictionary(l => l.Key, l => l.Value.ToString(), StringComparer.Ordinal) : null,
                Requests = resources.Requests is { Count: > 0 } requests ? requests.ToDictionary(r => r.Key, r => r.Value.ToString(), StringComparer.Ordinal) : null,
            };

    private static ObjectMeta Meta(Tunnel tunnel, string name) => new()
    {
        Name = name,
        Namespace = tunnel.Metadata.Namespace,
        Labels = TunnelChildren.Labels(tunnel.Metadata.Name!),
        OwnerReferences = [OwnerReferences.For(tunnel, controller: true)],
    };
}
