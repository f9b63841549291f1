using TunnelOperator.ControlPlane.Workloads.Kubelet;

namespace TunnelOperator.ControlPlane.Tests.Workloads;

/// <summary>Kubernetes $(VAR) expansion, with the cases of kubernetes' expand_test.go.</summary>
public sealed class VarExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["VAR_A"] = "A", ["VAR_B"] = "B", ["VAR_C"] = "C", ["VAR_REF"] = "$(VAR_A)", ["VAR_EMPTY"] = "", ["POD_IP"] = "127.244.0.7",
    };

    [Theory]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_B)___", "___B___")]
    [InlineData("$(VAR_A)-$(VAR_A)", "A-A")]
    [InlineData("$(VAR_A)-1", "A-1")]
    [InlineData("$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C")]
    [InlineData("f000-$$VAR_A", "f000-$VAR_A")]
    [InlineData("foo\\$(VAR_C)bar", "foo\\Cbar")]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]
    [InlineData("$$$(VAR_A)", "$A")]
    [InlineData("$(VAR_REF)", "$(VAR_A)")]
    [InlineData("$(VAR_EMPTY)", "")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("$(VAR_A", "$(VAR_A")]
    [InlineData("$VAR_A", "$VAR_A")]
    [InlineData("$", "$")]
    [InlineData("$$", "$")]
    [InlineData("$()", "$()")]
    [InlineData("--http=$(POD_IP):8080", "--http=127.244.0.7:8080")]
    [InlineData("$(VAR_A)$", "A$")]
    public void Expand_FollowsKubernetesRules(string input, string expected) =>
        Assert.Equal(expected, VarExpansion.Expand(input, n => Vars.TryGetValue(n, out var v) ? v : null));
}
