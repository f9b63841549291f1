using TunnelOperator.Operator.Hosting;

namespace TunnelOperator.Operator.Tests.Hosting;

public sealed class Gen0BudgetTests
{
    [Theory]
    [InlineData(null, Gen0Budget.DefaultBytes)]
    [InlineData("", Gen0Budget.DefaultBytes)]
    [InlineData("0", 0L)]
    [InlineData("32", 32L << 20)]
    public void Parse_ReadsMebibytes_UnsetIsTheDefault_ZeroIsOff(string? text, long bytes) =>
        Assert.Equal(bytes, Gen0Budget.Parse(text));

    [Theory]
    [InlineData("-1")]
    [InlineData("8MiB")]
    [InlineData("99999999999")]
    public void Parse_RefusesWhatIsNotASize(string text) =>
        Assert.Throws<FormatException>(() => Gen0Budget.Parse(text));

    [Fact]
    public void Start_WithNoBudget_RunsNothing()
    {
        Assert.Null(Gen0Budget.Start(0));
        using var running = Gen0Budget.Start(Gen0Budget.DefaultBytes);
        Assert.NotNull(running);
    }
}
