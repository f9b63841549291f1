using TunnelOperator.Kubernetes.Models.Core;
using System.Text.Json;
using System.Text.Json.Nodes;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Hives;
using TunnelOperator.Crds.PortForwards;
using TunnelOperator.Crds.TenantInvites;
using TunnelOperator.Crds.Tests.Support;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Tests.Kinds;

public sealed class JsonRoundTripTests
{
    [Fact]
    public void Tunnel_RoundTrips() => AssertRoundTrip(TestObjects.Tunnel());

    [Fact]
    public void EdgeNode_RoundTrips() => AssertRoundTrip(TestObjects.EdgeNode());

    [Fact]
    public void TenantInvite_RoundTrips() => AssertRoundTrip(TestObjects.TenantInvite());

    [Fact]
    public void Hive_RoundTrips() => AssertRoundTrip(TestObjects.Hive());

    [Fact]
    public void PortForward_RoundTrips() => AssertRoundTrip(TestObjects.PortForward());

    [Fact]
    public void Lists_RoundTrip()
    {
        var list = new KubernetesList<Tunnel> { ApiVersion = CrdGroup.ApiVersion, Kind = "TunnelList", Metadata = new() { ResourceVersion = "7" }, Items = [TestObjects.Tunnel()] };
        var json = JsonSerializer.Serialize(list, Tunnel.ListJsonType);
        var read = JsonSerializer.Deserialize(json, Tunnel.ListJsonType)!;
        Assert.Equal(JsonSerializer.Serialize(read, Tunnel.ListJsonType), json);
        Assert.Equal("shop", Assert.Single(read.Items).Spec.Name);
    }

    [Fact]
    public void Writing_UsesCamelCaseAndWireNames_AndOmitsNulls()
    {
        var minimal = new Tunnel
        {
            ApiVersion = CrdGroup.ApiVersion,
            Kind = "Tunnel",
            Metadata = new() { Name = "web", CreationTimestamp = new DateTimeOffset(2026, 11, 24, 14, 12, 51, 789, TimeSpan.FromHours(1)) },
            Spec = new() { EdgeRef = new() { Name = "edge" }, Target = new() { Url = "udp://10.0.0.1:53" }, Protocol = TunnelProtocol.TlsPassthrough },
            Status = new() { PublicUrl = "tls://shop.tnl.example.com:443" },
        };

        var json = JsonSerializer.Serialize(minimal, Tunnel.JsonType);

        Assert.Equal(
            """{"apiVersion":"tunneloperator.io/v1alpha1","kind":"Tunnel","metadata":{"name":"web","creationTimestamp":"2026-11-24T13:12:51Z"},"spec":{"edgeRef":{"name":"edge"},"target":{"url":"udp://10.0.0.1:53"},"protocol":"tls-passthrough","takeover":false,"agent":{"replicas":1}},"status":{"publicURL":"tls://shop.tnl.example.com:443"}}""",
            json);
    }

    [Fact]
    public void IntOrString_KeepsTheFormItWasWrittenIn()
    {
        var json = JsonSerializer.Serialize(TestObjects.Tunnel(s => s with { Target = new() { Service = new() { Name = "web", Port = 8080 } } }), Tunnel.JsonType);
        Assert.Contains("\"port\":8080", json, StringComparison.Ordinal);

        var named = JsonSerializer.Serialize(TestObjects.Tunnel(), Tunnel.JsonType);
        Assert.Contains("\"port\":\"http\"", named, StringComparison.Ordinal);
        Assert.Contains("\"cpu\":1", named, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_FillsDefaultsTheServerWouldHaveWritten()
    {
        var tunnel = JsonSerializer.Deserialize("""{"spec":{"edgeRef":{"name":"edge"},"target":{"url":"http://web:80"}}}""", Tunnel.JsonType)!;
        Assert.Equal(TunnelProtocol.Http, tunnel.Spec.Protocol);
        Assert.Equal(1, tunnel.Spec.Agent.Replicas);
        Assert.Null(tunnel.Status);
    }

    [Fact]
    public void Reading_KeepsNestedInitialisers_WhereTheJsonIsSilent()
    {
        var edge = JsonSerializer.Deserialize("""{"spec":{"baseHost":"tnl.example.com","ports":{"http":8080},"tls":{"mode":"acme","acme":{"email":"a@b.c"}}}}""", EdgeNode.JsonType)!;
        Assert.Equal(8080, edge.Spec.Ports.Http);
        Assert.Equal(443, edge.Spec.Ports.Https);
        Assert.Equal(256, edge.Spec.MaxConcurrentRequests);
        Assert.Equal("https://acme-v02.api.letsencrypt.org/directory", edge.Spec.Tls.Acme!.Server);
        Assert.Equal(StoreType.Sqlite, edge.Spec.Store.Type);
    }

    [Fact]
    public void Reading_WithoutARequiredField_Fails()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"spec":{"target":{"url":"http://web:80"}}}""", Tunnel.JsonType));
    }

    [Fact]
    public void Reading_AnUnknownEnumValue_Fails()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"spec":{"edgeRef":{"name":"e"},"target":{"url":"http://w"},"protocol":"quic"}}""", Tunnel.JsonType));
    }

    [Fact]
    public void SerializedObjects_SatisfyTheirGeneratedSchemas()
    {
        AssertValid(TestObjects.Tunnel(), Tunnel.JsonType);
        AssertValid(TestObjects.EdgeNode(), EdgeNode.JsonType);
        AssertValid(TestObjects.TenantInvite(), TenantInvite.JsonType);
        AssertValid(TestObjects.Hive(), Hive.JsonType);
        AssertValid(TestObjects.PortForward(), PortForward.JsonType);

        static void AssertValid<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
            where T : KubernetesObject
        {
            var node = JsonSerializer.SerializeToNode(value, type)!;
            var errors = SchemaValidator.Validate(node, Manifests.Schema(value.Kind!));
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
    }

    private static void AssertRoundTrip<T>(T value)
        where T : KubernetesObject, IKubernetesEntity<T>
    {
        var json = JsonSerializer.Serialize(value, T.JsonType);
        var read = JsonSerializer.Deserialize(json, T.JsonType)!;

        // Records compare lists and dictionaries by reference, so compare what they write.
        Assert.Equal(json, JsonSerializer.Serialize(read, T.JsonType));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonSerializer.SerializeToNode(read, T.JsonType)));
        Assert.Equal(value.Metadata.CreationTimestamp, read.Metadata.CreationTimestamp);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.Contains("\"creationTimestamp\":\"2026-11-24T13:12:51Z\"", json, StringComparison.Ordinal);
    }
}
