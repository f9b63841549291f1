using TunnelOperator.Agent.Forwards;

namespace TunnelOperator.Edge.Tests.PortForward;

public sealed class ForwardTokenTests
{
    // Vectors computed with an independent Luhn mod N implementation over the same alphabet.
    [Theory]
    [InlineData("AAAAAAAAAAAAAAAA", 'A')]
    [InlineData("AAAAAAAAAAAAAAAB", '_')]
    [InlineData("BAAAAAAAAAAAAAAA", '.')]
    [InlineData("abcdefghijklmnop", 'g')]
    [InlineData("0123456789-_.xyz", 'F')]
    [InlineData("................", 'Q')]
    [InlineData("________________", 'o')]
    [InlineData("tunnelOperator01", '-')]
    [InlineData("Zz9-_.Zz9-_.Zz9-", 'n')]
    public void CheckCharacter_MatchesTheLuhnModNTable(string body, char expected)
    {
        Assert.Equal(expected, ForwardToken.CheckCharacter(body));
        Assert.True(ForwardToken.Check($"i{body}{expected}").IsValid);
    }

    [Fact]
    public void Alphabet_HasSixtyFiveDistinctCharacters()
    {
        Assert.Equal(65, ForwardToken.Alphabet.Length);
        Assert.Equal(65, ForwardToken.Alphabet.Distinct().Count());
    }

    [Fact]
    public void Generate_MakesValidDistinctTokensOfTheSeedsShape()
    {
        var tokens = Enumerable.Range(0, 500).Select(_ => ForwardToken.Generate()).ToList();
        Assert.All(tokens, t =>
        {
            Assert.Matches("^i[A-Za-z0-9_-]{16}[A-Za-z0-9_.-]$", t);
            Assert.True(ForwardToken.Check(t).IsValid);
        });
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public void SingleCharacterChanges_AreCaught_SaveTheBlindSpotOfAnOddN()
    {
        // With N = 65 (odd), doubling then folding maps code points x and x + 32 (1 <= x <= 32)
        // to the same value, so at the doubled positions (2, 4, ... 16) exactly one of the 64
        // possible changes of a character goes unnoticed; every other change is caught.
        var token = ForwardToken.Generate();
        var missed = 0;
        for (var position = 1; position < ForwardToken.Length; position++)
        {
            foreach (var replacement in ForwardToken.Alphabet.Where(c => c != token[position]))
            {
                var typo = token[..position] + replacement + token[(position + 1)..];
                var (a, b) = (ForwardToken.Alphabet.IndexOf(token[position], StringComparison.Ordinal), ForwardToken.Alphabet.IndexOf(replacement, StringComparison.Ordinal));
                var blindSpot = position % 2 == 0 && position <= ForwardToken.BodyLength && Math.Abs(a - b) == 32 && Math.Min(a, b) >= 1;
                Assert.Equal(blindSpot ? ForwardTokenProblem.None : ForwardTokenProblem.ChecksumMismatch, ForwardToken.Check(typo).Problem);
                missed += blindSpot ? 1 : 0;
            }
        }

        Assert.InRange(missed, 0, 8);
    }

    [Theory]
    [InlineData("iAbCdEfGhIjKlMnOp")]
    [InlineData("i0123456789-_.xyz")]
    [InlineData("itunnelOperator01")]
    public void SwapsOfNeighbours_AreCaught(string prefixAndBody)
    {
        var token = prefixAndBody + ForwardToken.CheckCharacter(prefixAndBody.AsSpan(1));
        for (var i = 1; i < ForwardToken.Length - 1; i++)
        {
            if (token[i] == token[i + 1])
            {
                continue;
            }

            var swapped = token[..i] + token[i + 1] + token[i] + token[(i + 2)..];
            Assert.False(ForwardToken.Check(swapped).IsValid, $"swap at {i} of {token} went unnoticed");
        }
    }

    [Fact]
    public void SwapOfAAndPeriod_IsTheOneBlindSpotOfLuhnModN()
    {
        // Code points 0 and N-1 weigh the same doubled or not, as 0 and 9 do in Luhn mod 10.
        var body = "BBBBBBBBBBBBBBA.";
        var token = $"i{body}{ForwardToken.CheckCharacter(body)}";
        var swapped = token.Replace("A.", ".A", StringComparison.Ordinal);
        Assert.True(ForwardToken.Check(swapped).IsValid);
    }

    [Theory]
    [InlineData(null, ForwardTokenProblem.Empty, -1)]
    [InlineData("", ForwardTokenProblem.Empty, -1)]
    [InlineData("iAAAAAAAAAAAAAAAA", ForwardTokenProblem.WrongLength, -1)]
    [InlineData("iAAAAAAAAAAAAAAAAAA", ForwardTokenProblem.WrongLength, -1)]
    [InlineData("xAAAAAAAAAAAAAAAAA", ForwardTokenProblem.WrongPrefix, 0)]
    [InlineData("IAAAAAAAAAAAAAAAAA", ForwardTokenProblem.WrongPrefix, 0)]
    [InlineData("iAAAA!AAAAAAAAAAAA", ForwardTokenProblem.InvalidCharacter, 5)]
    [InlineData("iAAAAAAAAAAAAAAAA ", ForwardTokenProblem.InvalidCharacter, 17)]
    [InlineData("iAAAAAAAAAAAAAAAAB", ForwardTokenProblem.ChecksumMismatch, -1)]
    [InlineData("iAAAAAAAAAAAAAAAAA", ForwardTokenProblem.None, -1)]
    public void Check_NamesTheProblem(string? token, ForwardTokenProblem problem, int position)
    {
        var check = ForwardToken.Check(token);
        Assert.Equal(problem, check.Problem);
        Assert.Equal(position, check.Position);
    }

    [Fact]
    public void Describe_NeverRepeatsTheToken()
    {
        var token = ForwardToken.Generate();
        var typo = token[..5] + (token[5] == 'x' ? 'y' : 'x') + token[6..];
        var text = ForwardToken.Check(typo).Describe("--auth-token");
        Assert.Contains("mistyped", text, StringComparison.Ordinal);
        Assert.DoesNotContain(typo, text, StringComparison.Ordinal);
    }
}
