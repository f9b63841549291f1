using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Operator.Apply;

namespace TunnelOperator.Operator.Tests.Apply;

public sealed class ChildApplierTests
{
    private static readonly ConfigMap Planned = new()
    {
        Metadata = new ObjectMeta { Name = "x", Namespace = "ns", Labels = new Dictionary<string, string> { ["app"] = "x" } },
        Data = new Dictionary<string, string> { ["a"] = "1" },
    };

    [Fact]
    public void Stamp_TheHashFollowsTheContent()
    {
        var one = ChildApplier.Stamp(Planned);
        var same = ChildApplier.Stamp(Planned with { });
        var other = ChildApplier.Stamp(Planned with { Data = new Dictionary<string, string> { ["a"] = "2" } });

        var hash = one.Metadata.Annotations!["tunneloperator.io/applied-hash"];
        Assert.Equal(16, hash.Length);
        Assert.Equal(hash, same.Metadata.Annotations!["tunneloperator.io/applied-hash"]);
        Assert.NotEqual(hash, other.Metadata.Annotations!["tunneloperator.io/applied-hash"]);
    }

    [Fact]
    public void UpToDate_WhenTheLiveObjectCarriesTheHashAndEveryPlannedField()
    {
        var stamped = ChildApplier.Stamp(Planned);
        var live = stamped with
        {
            Metadata = stamped.Metadata with { Uid = "u", ResourceVersion = "7", Labels = new Dictionary<string, string> { ["app"] = "x", ["added-by"] = "someone" } },
        };

        Assert.True(ChildApplier.UpToDate(stamped, live));
    }

    [Fact]
    public void UpToDate_NotWhenSomeoneChangedAPlannedFieldOrTheHashIsOld()
    {
        var stamped = ChildApplier.Stamp(Planned);
        var edited = stamped with { Data = new Dictionary<string, string> { ["a"] = "edited" } };
        var older = ChildApplier.Stamp(Planned with { Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "gone" } });

        Assert.False(ChildApplier.UpToDate(stamped, edited));
        Assert.False(ChildApplier.UpToDate(stamped, older));
        Assert.False(ChildApplier.UpToDate(stamped, Planned));
    }

    [Fact]
    public void LabelValue_KeepsShortNamesAndHashesLongOnes()
    {
        var longName = new string('a', 80);
        var otherLong = new string('a', 79) + "b";

        Assert.Equal("web", ChildNames.LabelValue("web"));
        Assert.True(ChildNames.LabelValue(longName).Length <= 63);
        Assert.NotEqual(ChildNames.LabelValue(longName), ChildNames.LabelValue(otherLong));
    }
}
