using System.Text;
using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

/// <summary>
/// The token proof a forward client sends instead of its token: good for one challenge, one
/// source and one probe flag, and made of nothing a relay could turn back into the token.
/// </summary>
public sealed class ForwardProofTests
{
    private const string Source = "tcp://db.internal:5432";
    private static readonly string Token = ForwardToken.Generate();

    [Fact]
    public void Proof_IsTheSameForTheSameInputs_AndChangesWithEachOfThem()
    {
        var key = ForwardProof.KeyOf(Token);
        var challenge = ForwardProof.NewChallenge();
        var proof = ForwardProof.Compute(key, challenge, Source, probe: false);
        Assert.Equal(ForwardProof.ProofLength, proof.Length);
        Assert.Equal(proof, ForwardProof.Compute(key, challenge, Source, probe: false));

        var otherChallenge = (byte[])challenge.Clone();
        otherChallenge[^1] ^= 1;
        Assert.NotEqual(proof, ForwardProof.Compute(key, otherChallenge, Source, probe: false));
        Assert.NotEqual(proof, ForwardProof.Compute(key, challenge, "tcp://db.internal:5433", probe: false));
        Assert.NotEqual(proof, ForwardProof.Compute(key, challenge, Source, probe: true));
        Assert.NotEqual(proof, ForwardProof.Compute(ForwardProof.KeyOf(ForwardToken.Generate()), challenge, Source, probe: false));
    }

    [Fact]
    public void Challenges_AreFreshEachTime()
    {
        var seen = Enumerable.Range(0, 1000).Select(_ => Convert.ToHexString(ForwardProof.NewChallenge())).ToHashSet();
        Assert.Equal(1000, seen.Count);
        Assert.All(seen, hex => Assert.Equal(ForwardProof.ChallengeLength * 2, hex.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Challenge_OfAnotherLength_IsRefused(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => ForwardProof.Compute(ForwardProof.KeyOf(Token), new byte[length], Source, probe: false));
        Assert.Contains($"{ForwardProof.ChallengeLength} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proof_DoesNotContainTheTokenOrItsKey()
    {
        var key = ForwardProof.KeyOf(Token);
        var proof = ForwardProof.Compute(key, ForwardProof.NewChallenge(), Source, probe: false);
        Assert.False(Contains(proof, Encoding.UTF8.GetBytes(Token)));
        Assert.False(Contains(proof, key[..8]));
    }

    internal static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
