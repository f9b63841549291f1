using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Controllers;

public sealed class EventMappingTests
{
    private static ConfigMap Child(string? @namespace, params OwnerReference[] owners) => new()
    {
        Metadata = new ObjectMeta { Name = "child", Namespace = @namespace, OwnerReferences = owners },
    };

    private static OwnerReference Owner(string apiVersion = "tunneloperator.io/v1alpha1", string kind = "Tunnel", bool? controller = true, string name = "web") =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = "uid-" + name, Controller = controller };

    [Fact]
    public void ControllerOwnerOfTheKind_MapsToItsKey()
    {
        var key = EnqueueRequestForOwner<ConfigMap>.OwnerKey(Child("apps", Owner(controller: null, name: "plain"), Owner()), Tunnel.Resource);

        Assert.Equal(new ObjectKey("apps", "web"), key);
    }

    [Fact]
    public void AnotherVersionOfTheGroup_StillMaps() =>
        Assert.Equal(new ObjectKey("apps", "web"), EnqueueRequestForOwner<ConfigMap>.OwnerKey(Child("apps", Owner("tunneloperator.io/v1")), Tunnel.Resource));

    [Theory]
    [InlineData("tunneloperator.io/v1alpha1", "EdgeNode", true)]
    [InlineData("example.com/v1alpha1", "Tunnel", true)]
    [InlineData("tunneloperator.io/v1alpha1", "Tunnel", false)]
    [InlineData("tunneloperator.io/v1alpha1", "Tunnel", null)]
    public void OtherKindsGroupsAndNonControllerOwners_MapToNothing(string apiVersion, string kind, bool? controller) =>
        Assert.Null(EnqueueRequestForOwner<ConfigMap>.OwnerKey(Child("apps", Owner(apiVersion, kind, controller)), Tunnel.Resource));

    [Fact]
    public void ClusterScopedOwner_HasNoNamespace()
    {
        var clusterScoped = new ResourceType("tunneloperator.io", "v1alpha1", "Tunnel", "tunnels", Namespaced: false);

        Assert.Equal(new ObjectKey(null, "web"), EnqueueRequestForOwner<ConfigMap>.OwnerKey(Child("apps", Owner()), clusterScoped));
    }

    [Fact]
    public void Update_QueuesTheOldAndTheNewOwner()
    {
        var sink = new ListSink();
        var handler = new EnqueueRequestForOwner<ConfigMap>(sink, Tunnel.Resource);

        handler.OnUpdate(Child("apps", Owner(name: "before")), Child("apps", Owner(name: "after")));
        handler.OnUpdate(Child("apps", Owner(name: "same")), Child("apps", Owner(name: "same")));

        Assert.Equal([new ObjectKey("apps", "before"), new ObjectKey("apps", "after"), new ObjectKey("apps", "same")], sink.Keys);
    }

    [Fact]
    public void MapHandler_QueuesWhatTheMapSays_ForOldAndNew()
    {
        var sink = new ListSink();
        var handler = new EnqueueRequestsFromMap<ConfigMap>(sink, c => [new ObjectKey(c.Metadata.Namespace, c.Data!["tunnel"])]);
        static ConfigMap Referring(string tunnel) => new() { Metadata = new ObjectMeta { Name = "edge", Namespace = "apps" }, Data = new Dictionary<string, string> { ["tunnel"] = tunnel } };

        handler.OnAdd(Referring("a"));
        handler.OnUpdate(Referring("a"), Referring("b"));
        handler.OnDelete(Referring("b"));

        Assert.Equal(["a", "a", "b", "b"], sink.Keys.Select(k => k.Name));
    }

    private sealed class ListSink : IKeySink
    {
        public List<ObjectKey> Keys { get; } = [];

        public void Enqueue(ObjectKey key) => Keys.Add(key);
    }
}
