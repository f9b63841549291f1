using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

public sealed class ForwardTokenSetTests
{
    [Fact]
    public void Match_FindsEachListedTokenAndNothingElse()
    {
        var tokens = Enumerable.Range(0, 3).Select(_ => ForwardToken.Generate()).ToList();
        Assert.True(ForwardTokenSet.TryCreate(tokens.Select((t, i) => (t, $"#{i}")), out var set, out _));
        Assert.Equal(3, set.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            Assert.Equal(i + 1, set.Match(tokens[i]));
        }

        Assert.Equal(0, set.Match(ForwardToken.Generate()));
        Assert.Equal(0, set.Match(string.Empty));
        Assert.Equal(0, set.Match(tokens[0][..^1]));
    }

    [Fact]
    public void TryCreate_SkipsCommentsAndBlankLines_AndMergesDuplicates()
    {
        var token = ForwardToken.Generate();
        var lines = new[] { "# alice", string.Empty, $"  {token}  # laptop", token };
        Assert.True(ForwardTokenSet.TryCreate(lines.Select((l, i) => (l, $"line {i + 1}")), out var set, out var problem), problem);
        Assert.Equal(1, set.Count);
        Assert.Equal(1, set.Match(token));
    }

    [Fact]
    public void TryCreate_RefusesAMistypedToken_NamingWhereItCameFrom()
    {
        var token = ForwardToken.Generate();
        var typo = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.False(ForwardTokenSet.TryCreate([(ForwardToken.Generate(), "#1"), (typo, "#2")], out _, out var problem));
        Assert.Contains("auth token #2 is mistyped", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(typo, problem, StringComparison.Ordinal);
    }
}
