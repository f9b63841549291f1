using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Hives;
using TunnelOperator.Crds.PortForwards;
using TunnelOperator.Crds.TenantInvites;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Tests.Kinds;

/// <summary>Builders of valid objects of each kind, with every field set, for tests to vary.</summary>
internal static class TestObjects
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 13, 12, 51, TimeSpan.Zero);

    public static ObjectMeta Meta(string name) => new()
    {
        Name = name,
        Namespace = "shop",
        Uid = "6f1c2a7e-3d4b-4c5d-9e8f-0a1b2c3d4e5f",
        ResourceVersion = "42",
        Generation = 3,
        CreationTimestamp = Created,
        Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "shop" },
    };

    public static Condition Ready(string reason = "Serving") => new()
    {
        Type = "Ready",
        Status = "True",
        ObservedGeneration = 3,
        LastTransitionTime = Created.AddMinutes(1),
        Reason = reason,
        Message = "all good",
    };

    public static Tunnel Tunnel(Func<TunnelSpec, TunnelSpec>? change = null) => new()
    {
        ApiVersion = CrdGroup.ApiVersion,
        Kind = "Tunnel",
        Metadata = Meta("web"),
        Spec = (change ?? (s => s))(new TunnelSpec
        {
            EdgeRef = new() { Name = "edge" },
            Target = new() { Service = new() { Name = "web", Port = "http" } },
            Protocol = TunnelProtocol.Https,
            Name = "shop",
            Takeover = true,
            Hostname = "shop.example.com",
            MaxConcurrentRequests = 512,
            Agent = new()
            {
                Replicas = 2,
                Resources = new()
                {
                    Limits = new Dictionary<string, IntOrString> { ["memory"] = "256Mi", ["cpu"] = 1 },
                    Requests = new Dictionary<string, IntOrString> { ["cpu"] = "100m" },
                },
                Image = "registry.example.com/tunneloperator:1.0",
            },
        }),
        Status = new()
        {
            PublicUrl = "https://shop.tnl.example.com/",
            Subdomain = "shop",
            Edge = "edge",
            ConnectedAgents = 2,
            Conditions = [Ready(), new() { Type = "Connected", Status = "True" }],
            ObservedGeneration = 3,
        },
    };

    public static EdgeNode EdgeNode(Func<EdgeNodeSpec, EdgeNodeSpec>? change = null) => new()
    {
        ApiVersion = CrdGroup.ApiVersion,
        Kind = "EdgeNode",
        Metadata = Meta("edge"),
        Spec = (change ?? (s => s))(new EdgeNodeSpec
        {
            BaseHost = "tnl.example.com",
            Replicas = 3,
            Ports = new() { Http = 8080, Https = 8443, Control = 7777, Admin = 9090 },
            Service = new() { Type = ServiceType.NodePort, Annotations = new Dictionary<string, string> { ["external-dns.alpha.kubernetes.io/hostname"] = "tnl.example.com" } },
            Store = new() { Type = StoreType.Postgres, DatabaseUrlSecretRef = new() { Name = "edge-db", Key = "url" } },
            Tls = new()
            {
                Mode = TlsMode.Acme,
                Acme = new()
                {
                    Email = "ops@example.com",
                    Server = "https://acme-staging-v02.api.letsencrypt.org/directory",
                    Dns01 = new() { Rfc2136 = new() { Nameserver = "10.0.0.53:53", TsigKeyName = "acme-update", TsigAlgorithm = TsigAlgorithm.HmacSha512, TsigSecretRef = new() { Name = "tsig", Key = "secret" } } },
                },
            },
            MaxConcurrentRequests = 1024,
            MaxRequestBodyBytes = 10L * 1024 * 1024 * 1024,
            Image = "registry.example.com/tunneloperator:1.0",
        }),
        Status = new()
        {
            Address = "203.0.113.7",
            Replicas = 3,
            ReadyReplicas = 3,
            Selector = "app.kubernetes.io/instance=edge",
            AdminEndpoint = "http://edge-admin.shop.svc:9090",
            Conditions = [Ready("MinimumReplicasAvailable")],
            ObservedGeneration = 3,
        },
    };

    public static TenantInvite TenantInvite(Func<TenantInviteSpec, TenantInviteSpec>? change = null) => new()
    {
        ApiVersion = CrdGroup.ApiVersion,
        Kind = "TenantInvite",
        Metadata = Meta("alice"),
        Spec = (change ?? (s => s))(new TenantInviteSpec
        {
            EdgeRef = new() { Name = "edge" },
            TenantName = "alice",
            Hostnames = ["app.alice.example.com", "*.alice.example.com"],
            Ports = [new() { Port = 2222 }, new() { Port = 2222, Protocol = TransportProtocol.Udp }],
            Expires = "48h",
            SecretName = "alice-invite",
        }),
        Status = new()
        {
            TenantId = "9f86d081884c7d65",
            InviteId = "inv-0001",
            ExpiresAt = Created.AddHours(48),
            Conditions = [Ready("Minted"), new() { Type = "Expired", Status = "False", Reason = "NotYet" }],
            ObservedGeneration = 3,
        },
    };

    public static Hive Hive(Func<HiveSpec, HiveSpec>? change = null) => new()
    {
        ApiVersion = CrdGroup.ApiVersion,
        Kind = "Hive",
        Metadata = Meta("team-alpha"),
        Spec = (change ?? (s => s))(new HiveSpec
        {
            DisplayName = "Team Alpha",
            Expose = new() { EdgeRef = new() { Name = "edge" }, Name = "team-alpha", Hostname = "hive.example.com" },
            Store = new() { Type = StoreType.Sqlite, VolumeSize = "1Gi" },
            Actors = [new() { Id = "alice" }, new() { Id = "ci", Role = HiveActorRole.Bot, AllowedSources = ["10.0.0.0/8", "2001:db8::/32"] }],
            Bootstrap = new() { SecretName = "team-alpha-codes", CodeLifetime = "10m" },
            AdminTokenSecretName = "team-alpha-admin",
            Limits = new() { MaxActors = 50, MaxEnvelopeBytes = 65536, MaxConnectionsPerActor = 2, MessagesPerMinute = 120 },
            Retention = new() { Undelivered = "72h", Prekeys = "336h" },
            SealedSender = new() { Enabled = false, CertificateLifetime = "12h" },
            Resources = new() { Requests = new Dictionary<string, IntOrString> { ["memory"] = "64Mi" } },
            Image = "registry.example.com/tunneloperator:1.0",
        }),
        Status = new()
        {
            Endpoint = "https://team-alpha.tnl.example.com/h/team-alpha",
            Actors = 2,
            PendingActors = 1,
            Conditions = [Ready("Serving"), new() { Type = "Exposed", Status = "True", Reason = "TunnelReady" }],
            ObservedGeneration = 3,
        },
    };

    public static PortForward PortForward(Func<PortForwardSpec, PortForwardSpec>? change = null) => new()
    {
        ApiVersion = CrdGroup.ApiVersion,
        Kind = "PortForward",
        Metadata = Meta("db-access"),
        Spec = (change ?? (s => s))(new PortForwardSpec
        {
            EdgeRef = new() { Name = "edge" },
            Targets =
            [
                new() { Name = "postgres", Service = new() { Name = "postgres", Port = 5432 }, ListenPort = 15432 },
                new() { Name = "dns", Protocol = TransportProtocol.Udp, Host = "10.96.0.10", Port = 53 },
            ],
            Auth = new() { Mode = PortForwardAuthMode.Provided, SecretName = "db-access-clients", AllowedClients = ["192.0.2.0/24"] },
            MaxSessions = 20,
            UdpIdleTimeout = "30s",
        }),
        Status = new()
        {
            Endpoint = "https://tnl.example.com:7777",
            ActiveSessions = 1,
            Conditions = [Ready("AgentConnected")],
            ObservedGeneration = 3,
        },
    };
}
