using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Apps;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.References;

namespace TunnelOperator.Kubernetes.Tests.References;

public sealed class ReferencesTests
{
    private static Deployment Owner() => new()
    {
        Metadata = new ObjectMeta { Name = "edge", Namespace = "tunnels", Uid = "uid-1", ResourceVersion = "42" },
    };

    [Fact]
    public void OwnerReference_ForAController_BlocksOwnerDeletion()
    {
        var reference = OwnerReferences.For(Owner(), controller: true);

        Assert.Equal(new OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "edge", Uid = "uid-1", Controller = true, BlockOwnerDeletion = true }, reference);
    }

    [Fact]
    public void OwnerReference_ForAPlainOwner_SetsNeitherFlag()
    {
        var reference = OwnerReferences.For<Deployment>(Owner() with { ApiVersion = null, Kind = null }, controller: false);

        Assert.Equal(("apps/v1", "Deployment", null, null), (reference.ApiVersion, reference.Kind, reference.Controller, reference.BlockOwnerDeletion));
    }

    [Fact]
    public void OwnerReference_WithoutUid_IsRefused_NamingWhatIsMissing()
    {
        var error = Assert.Throws<ArgumentException>(() => OwnerReferences.For((KubernetesObject)(Owner() with { Metadata = new ObjectMeta { Name = "edge" }, Kind = null }), controller: true));

        Assert.Contains("kind, metadata.uid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ControllerOf_FindsTheControllingOwner()
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", OwnerReferences = [OwnerReferences.For(Owner() with { Metadata = Owner().Metadata with { Uid = "other" } }, false), OwnerReferences.For(Owner(), true)] } };

        Assert.Equal("uid-1", OwnerReferences.ControllerOf(pod)!.Uid);
        Assert.True(OwnerReferences.IsControlledBy(pod, "uid-1"));
        Assert.False(OwnerReferences.IsControlledBy(pod, "other"));
    }

    [Fact]
    public void ObjectReference_ForAnEvent_CarriesIdentityAndVersion()
    {
        var reference = ObjectReferences.For<Deployment>(Owner(), "spec.template");

        Assert.Equal(new ObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Namespace = "tunnels", Name = "edge", Uid = "uid-1", ResourceVersion = "42", FieldPath = "spec.template" }, reference);
        // The non-generic overload has no type to fall back on.
        Assert.Throws<ArgumentException>(() => ObjectReferences.For((KubernetesObject)new ConfigMap { ApiVersion = null, Metadata = new ObjectMeta { Name = "x" } }));
    }
}
