using TunnelOperator.Controllers.Tests.Support;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Tests;

public sealed class FinalizersTests
{
    private const string Ours = "tunneloperator.io/cleanup";

    [Theory]
    [InlineData(false, false, FinalizerDecision.Add)]
    [InlineData(false, true, FinalizerDecision.None)]
    [InlineData(true, true, FinalizerDecision.Cleanup)]
    [InlineData(true, false, FinalizerDecision.Ignore)]
    public void Decide_FollowsDeletionAndPresence(bool deleting, bool present, FinalizerDecision expected)
    {
        var tunnel = TestObjects.Tunnel("t") with
        {
            Metadata = new ObjectMeta
            {
                Name = "t",
                DeletionTimestamp = deleting ? DateTimeOffset.UnixEpoch : null,
                Finalizers = present ? ["other.io/keep", Ours] : ["other.io/keep"],
            },
        };

        Assert.Equal(expected, Finalizers.Decide(tunnel, Ours));
    }

    [Theory]
    [InlineData("tunneloperator.io/cleanup", true)]
    [InlineData("example.com/edge-dns.v2", true)]
    [InlineData("cleanup", false)]
    [InlineData("Tunneloperator.io/cleanup", false)]
    [InlineData("tunneloperator.io/", false)]
    [InlineData("tunneloperator.io/a b", false)]
    public void CheckName_WantsADomainQualifiedName(string name, bool valid)
    {
        if (valid)
        {
            Finalizers.CheckName(name);
        }
        else
        {
            Assert.Throws<ArgumentException>(() => Finalizers.CheckName(name));
        }
    }
}
