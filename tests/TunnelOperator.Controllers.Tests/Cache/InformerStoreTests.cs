using TunnelOperator.Controllers.Cache;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Cache;

public sealed class InformerStoreTests
{
    private static ConfigMap Map(string name, string rv, string? ownerUid = null, string ns = "apps", string? tier = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = ns,
            ResourceVersion = rv,
            Uid = "uid-" + name,
            Labels = tier is null ? null : new Dictionary<string, string> { ["tier"] = tier },
            OwnerReferences = ownerUid is null ? null : [new OwnerReference { ApiVersion = "v1", Kind = "Owner", Name = "o", Uid = ownerUid, Controller = true }],
        },
    };

    [Fact]
    public void Replace_ReportsOnlyWhatDiffers()
    {
        var store = new InformerStore<ConfigMap>();
        store.Replace([Map("same", "1"), Map("changed", "2"), Map("gone", "3")]);

        var changes = store.Replace([Map("same", "1"), Map("changed", "9"), Map("new", "10")]);

        Assert.Equal(
            ["Added new", "Deleted gone", "Updated changed"],
            changes.Select(c => $"{c.Type} {(c.New ?? c.Old)!.Metadata.Name}").Order(StringComparer.Ordinal));
        Assert.Equal("2", changes.Single(c => c.Type == InformerChangeType.Updated).Old!.Metadata.ResourceVersion);
        Assert.Equal(["changed", "new", "same"], store.List(null, null).Select(m => m.Metadata.Name!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Indexes_FollowUpsertsRemovesAndReplaces()
    {
        var store = new InformerStore<ConfigMap>();
        store.Upsert(Map("a", "1", ownerUid: "p1"));
        store.AddIndex(Indexers.ControllerOwnerUid, Indexers.ByControllerOwnerUid);
        store.Upsert(Map("b", "2", ownerUid: "p1"));
        store.Upsert(Map("a", "3", ownerUid: "p2"));

        var afterMove = store.ByIndex(Indexers.ControllerOwnerUid, "p1").Select(m => m.Metadata.Name).ToList();
        store.Remove(new ObjectKey("apps", "b"));
        var afterRemove = store.ByIndex(Indexers.ControllerOwnerUid, "p1");
        store.Replace([Map("c", "4", ownerUid: "p2")]);

        Assert.Equal(["b"], afterMove);
        Assert.Empty(afterRemove);
        Assert.Equal(["c"], store.ByIndex(Indexers.ControllerOwnerUid, "p2").Select(m => m.Metadata.Name));
        Assert.Throws<InvalidOperationException>(() => store.ByIndex("nope", "x"));
    }

    [Fact]
    public void List_FiltersByNamespaceAndLabels()
    {
        var store = new InformerStore<ConfigMap>();
        store.Replace([Map("a", "1", tier: "web"), Map("b", "2", tier: "db"), Map("c", "3", ns: "other", tier: "web")]);

        var web = store.List(null, new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "web" } });
        var apps = store.List("apps", null);

        Assert.Equal(["a", "c"], web.Select(m => m.Metadata.Name!).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b"], apps.Select(m => m.Metadata.Name!).Order(StringComparer.Ordinal));
    }
}
