using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Kubernetes.Auth;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Config;

public sealed class FileTokenSourceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Token_IsReReadOnlyAfterTheRefreshInterval()
    {
        var clock = TestClients.Clock();
        var path = _directory.File("token", "first\n");
        var source = new FileTokenSource(path, TimeSpan.FromMinutes(1), clock, NullLogger.Instance);

        Assert.Equal("first", await source.GetTokenAsync(TestContext.Current.CancellationToken));
        File.WriteAllText(path, "second");
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("first", await source.GetTokenAsync(TestContext.Current.CancellationToken));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("second", await source.GetTokenAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Token_StaysTheLastGoodOne_WhileTheFileIsMissingOrEmpty()
    {
        var clock = TestClients.Clock();
        var path = _directory.File("token", "good");
        var source = new FileTokenSource(path, TimeSpan.FromMinutes(1), clock, NullLogger.Instance);
        Assert.Equal("good", await source.GetTokenAsync(TestContext.Current.CancellationToken));

        File.Delete(path);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("good", await source.GetTokenAsync(TestContext.Current.CancellationToken));

        File.WriteAllText(path, "   ");
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("good", await source.GetTokenAsync(TestContext.Current.CancellationToken));

        File.WriteAllText(path, "rotated");
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("rotated", await source.GetTokenAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Token_FirstReadFailure_Surfaces()
    {
        var source = new FileTokenSource(_directory.Combine("absent"), TimeSpan.FromMinutes(1), TestClients.Clock(), NullLogger.Instance);

        await Assert.ThrowsAnyAsync<IOException>(async () => await source.GetTokenAsync(TestContext.Current.CancellationToken));
    }
}
