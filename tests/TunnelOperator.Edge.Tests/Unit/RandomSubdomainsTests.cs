using TunnelOperator.Edge.Routing;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class RandomSubdomainsTests
{
    [Fact]
    public void Next_ProducesAdjectiveAnimalFourDigits_ThatAreValidDnsLabels()
    {
        for (var i = 0; i < 1000; i++)
        {
            var name = RandomSubdomains.Next();
            Assert.Matches("^[a-z]+-[a-z]+-[1-9][0-9]{3}$", name);
            Assert.True(HostRouting.IsDnsLabel(name));
            Assert.True(RandomSubdomains.LooksRandom(name));
        }
    }

    [Fact]
    public void Next_IsSpreadOverManyNames()
    {
        var names = Enumerable.Range(0, 2000).Select(_ => RandomSubdomains.Next()).ToHashSet();
        Assert.True(names.Count > 1990, $"only {names.Count} distinct names in 2000 draws");
    }
}
