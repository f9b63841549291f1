using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

public sealed class ForwardTokenSetTests
{
    private const string Source = "tcp://10.0.0.5:5432";

    [Fact]
    public void MatchProof_FindsEachListedTokensProofAndNothingElse()
    {
        var tokens = Enumerable.Range(0, 3).Select(_ => ForwardToken.Generate()).ToList();
        Assert.True(ForwardTokenSet.TryCreate(tokens.Select((t, i) => (t, $"#{i}")), out var set, out _));
        Assert.Equal(3, set.Count);
        var challenge = ForwardProof.NewChallenge();
        for (var i = 0; i < tokens.Count; i++)
        {
            Assert.Equal(i + 1, set.MatchProof(challenge, Source, probe: false, ProofOf(tokens[i], challenge)));
        }

        Assert.Equal(0, set.MatchProof(challenge, Source, probe: false, ProofOf(ForwardToken.Generate(), challenge)));
        Assert.Equal(0, set.MatchProof(challenge, Source, probe: false, []));
        Assert.Equal(0, set.MatchProof(challenge, Source, probe: false, ProofOf(tokens[0], challenge).AsSpan(0, ForwardProof.ProofLength - 1)));
    }

    [Fact]
    public void TryCreate_SkipsCommentsAndBlankLines_AndMergesDuplicates()
    {
        var token = ForwardToken.Generate();
        var lines = new[] { "# alice", string.Empty, $"  {token}  # laptop", token };
        Assert.True(ForwardTokenSet.TryCreate(lines.Select((l, i) => (l, $"line {i + 1}")), out var set, out var problem), problem);
        Assert.Equal(1, set.Count);
        var challenge = ForwardProof.NewChallenge();
        Assert.Equal(1, set.MatchProof(challenge, Source, probe: true, ForwardProof.Compute(ForwardProof.KeyOf(token), challenge, Source, probe: true)));
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

    private static byte[] ProofOf(string token, byte[] challenge) =>
        ForwardProof.Compute(ForwardProof.KeyOf(token), challenge, Source, probe: false);
}
