using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.ApiExtensions;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Coordination;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Tests.Models;

public sealed class ModelJsonTests
{
    private static string RoundTrip<T>(string json, JsonTypeInfo<T> type) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize(json, type)!, type);

    private static readonly Dictionary<string, (string Json, Func<string, string> RoundTrip)> Cases = new()
    {
        ["Deployment"] = (Samples.Deployment, j => RoundTrip(j, Deployment.JsonType)),
        ["Service"] = (Samples.Service, j => RoundTrip(j, Service.JsonType)),
        ["Secret"] = (Samples.Secret, j => RoundTrip(j, Secret.JsonType)),
        ["Event"] = (Samples.Event, j => RoundTrip(j, Event.JsonType)),
        ["Lease"] = (Samples.Lease, j => RoundTrip(j, Lease.JsonType)),
        ["Pod"] = (Samples.Pod, j => RoundTrip(j, Pod.JsonType)),
        ["CustomResourceDefinition"] = (Samples.CustomResourceDefinition, j => RoundTrip(j, CustomResourceDefinition.JsonType)),
        ["Status 409 Conflict"] = (Samples.ConflictStatus, j => RoundTrip(j, KubernetesJsonContext.Default.Status)),
        ["Status 409 apply conflict"] = (Samples.ApplyConflictStatus, j => RoundTrip(j, KubernetesJsonContext.Default.Status)),
        ["Status 422 Invalid"] = (Samples.InvalidStatus, j => RoundTrip(j, KubernetesJsonContext.Default.Status)),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Sample_RoundTripsWithoutLosingAField(string name)
    {
        var (json, roundTrip) = Cases[name];

        var written = roundTrip(json);

        // The server writes some nulls (eventTime, lastProbeTime); we leave nulls out, which means the same.
        var expected = WithoutNulls(JsonNode.Parse(json));
        var actual = JsonNode.Parse(written);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected\n{expected}\nactual\n{actual}");
    }

    [Fact]
    public void Deployment_KeepsFieldsTheModelDoesNotName_InAdditionalProperties()
    {
        var deployment = JsonSerializer.Deserialize(Samples.Deployment, Deployment.JsonType)!;

        var pod = deployment.Spec!.Template!.Spec!;
        Assert.Contains("affinity", pod.AdditionalProperties!.Keys);
        Assert.Contains("terminationMessagePath", pod.Containers![0].AdditionalProperties!.Keys);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("25%", deployment.Spec.Strategy!.RollingUpdate!.MaxUnavailable!.Value.StringValue);
        Assert.Equal(1, deployment.Spec.Strategy.RollingUpdate.MaxSurge!.Value.IntValue);
        Assert.Equal("edge-store", pod.Containers[0].Env![1].ValueFrom!.SecretKeyRef!.Name);
        Assert.Equal(8443, pod.Containers[0].Ports![0].Port);
        Assert.Equal("Available", deployment.Status!.Conditions![0].Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 13, 5, TimeSpan.Zero), deployment.Status.Conditions[0].LastUpdateTime);
        Assert.Equal(JsonValueKind.Object, deployment.Metadata.ManagedFields![0].FieldsV1!.Value.ValueKind);
    }

    [Fact]
    public void Service_TargetPort_KeepsNumberOrName()
    {
        var service = JsonSerializer.Deserialize(Samples.Service, Service.JsonType)!;

        Assert.Equal("https", service.Spec!.Ports![0].TargetPort!.Value.StringValue);
        Assert.Equal(7000, service.Spec.Ports[1].TargetPort!.Value.IntValue);
        Assert.Equal("203.0.113.10", service.Status!.LoadBalancer!.Ingress![0].Ip);
        Assert.Equal("edge.example.net", service.Status.LoadBalancer.Ingress[1].Hostname);
        Assert.Equal("LoadBalancer", service.Spec.Type);
    }

    [Fact]
    public void Secret_Data_IsBase64OnTheWireAndBytesInMemory()
    {
        var secret = JsonSerializer.Deserialize(Samples.Secret, Secret.JsonType)!;
        Assert.Equal("tok-abc123", Encoding.UTF8.GetString(secret.Data!["token"]));

        var written = JsonNode.Parse(JsonSerializer.Serialize(new Secret
        {
            Metadata = new ObjectMeta { Name = "s" },
            Data = new Dictionary<string, byte[]> { ["k"] = [0, 1, 2, 255] },
            StringData = new Dictionary<string, string> { ["plain"] = "text" },
        }, Secret.JsonType))!;
        Assert.Equal("AAEC/w==", (string?)written["data"]!["k"]);
        Assert.Equal("text", (string?)written["stringData"]!["plain"]);
        Assert.Equal("v1", (string?)written["apiVersion"]);
        Assert.Equal("Secret", (string?)written["kind"]);
    }

    [Fact]
    public void Lease_MicroTime_KeepsMicrosecondsBothWays()
    {
        var lease = JsonSerializer.Deserialize(Samples.Lease, Lease.JsonType)!;
        var renew = lease.Spec!.RenewTime!.Value;
        Assert.Equal((123, 456), (renew.Millisecond, renew.Microsecond));

        // Sub-microsecond ticks are truncated, as Go's formatter truncates nanoseconds.
        var written = JsonNode.Parse(JsonSerializer.Serialize(lease with { Spec = lease.Spec with { RenewTime = new DateTimeOffset(2026, 11, 24, 14, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567) } }, Lease.JsonType))!;
        Assert.Equal("2026-11-24T13:00:00.123456Z", (string?)written["spec"]!["renewTime"]);
        Assert.Equal("2026-11-24T13:00:00.000000Z", (string?)written["spec"]!["acquireTime"]);
    }

    [Fact]
    public void Time_IsWrittenInWholeSecondsUtc_MicroTimeWithSixDigits()
    {
        var at = new DateTimeOffset(2026, 11, 24, 15, 12, 51, TimeSpan.FromHours(2)).AddMilliseconds(789);
        var written = JsonNode.Parse(JsonSerializer.Serialize(new Event
        {
            Metadata = new ObjectMeta { Name = "e", CreationTimestamp = at },
            InvolvedObject = new ObjectReference { Kind = "Tunnel", Name = "t" },
            EventTime = at,
        }, Event.JsonType))!;

        Assert.Equal("2026-11-24T13:12:51Z", (string?)written["metadata"]!["creationTimestamp"]);
        Assert.Equal("2026-11-24T13:12:51.789000Z", (string?)written["eventTime"]);
        Assert.Null(written["firstTimestamp"]);
    }

    [Fact]
    public void NewObjects_CarryTheirTypeAndLeaveUnsetFieldsOut()
    {
        var json = JsonSerializer.Serialize(new ConfigMap { Metadata = new ObjectMeta { Name = "settings", Namespace = "tunnels" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ConfigMap.JsonType);

        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"tunnels"},"data":{"a":"1"}}""", json);
        Assert.Equal("apps/v1", new Deployment().ApiVersion);
        Assert.Equal("coordination.k8s.io/v1", new Lease().ApiVersion);
        Assert.Equal("/apis/apiextensions.k8s.io/v1", CustomResourceDefinition.Resource.GroupVersionPath);
        Assert.False(CustomResourceDefinition.Resource.Namespaced);
        Assert.False(Namespace.Resource.Namespaced);
    }

    [Theory]
    [InlineData(nameof(Samples.ConflictStatus), 409, true, false, false)]
    [InlineData(nameof(Samples.ApplyConflictStatus), 409, true, false, false)]
    [InlineData(nameof(Samples.InvalidStatus), 422, false, true, false)]
    public void Status_BecomesAnExceptionWithTheRightPredicates(string sample, int code, bool conflict, bool invalid, bool notFound)
    {
        var json = (string)typeof(Samples).GetField(sample)!.GetValue(null)!;
        var status = JsonSerializer.Deserialize(json, KubernetesJsonContext.Default.Status)!;

        var error = new KubernetesApiException(status, "update configmaps.core/v1 tunnels/edge-settings");

        Assert.Equal(code, error.Code);
        Assert.Equal((conflict, invalid, notFound, false), (error.IsConflict, error.IsInvalid, error.IsNotFound, error.IsAlreadyExists));
        Assert.Contains(status.Message!, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("update configmaps.core/v1 tunnels/edge-settings: ", error.Message, StringComparison.Ordinal);
        Assert.Equal("Failure", status.Result);
    }

    [Fact]
    public void InvalidStatus_NamesEachField()
    {
        var status = JsonSerializer.Deserialize(Samples.InvalidStatus, KubernetesJsonContext.Default.Status)!;

        Assert.Equal(["spec.ports[0].port", "spec.ports[1].name"], status.Details!.Causes!.Select(c => c.Field!));
        Assert.Equal("FieldValueDuplicate", status.Details.Causes![1].Reason);
    }

    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, value) in o)
                {
                    WithoutNulls(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    WithoutNulls(item);
                }

                break;
        }

        return node;
    }
}
