using TunnelOperator.Controllers.Leadership;
using TunnelOperator.Controllers.Tests.Support;

namespace TunnelOperator.Controllers.Tests.Leadership;

public sealed class LeaderElectionOptionsTests
{
    [Fact]
    public void Defaults_AreClientGos()
    {
        var options = new LeaderElectionOptions { LeaseName = "l", LeaseNamespace = "ns" };

        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (options.LeaseDuration, options.RenewDeadline, options.RetryPeriod));
        Assert.True(options.ReleaseOnCancel);
        Assert.NotEqual(options.Identity, new LeaderElectionOptions { LeaseName = "l", LeaseNamespace = "ns" }.Identity);
    }

    [Theory]
    [InlineData(10, 10, 2)]
    [InlineData(15, 10, 10)]
    [InlineData(15, 20, 2)]
    public void TimingsOutOfOrder_AreRefused(int lease, int renew, int retry)
    {
        var options = new LeaderElectionOptions
        {
            LeaseName = "l",
            LeaseNamespace = "ns",
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewDeadline = TimeSpan.FromSeconds(renew),
            RetryPeriod = TimeSpan.FromSeconds(retry),
        };

        Assert.Throws<ArgumentException>(() => new LeaderElector(new InterceptingClient(null!), options));
    }
}
