using TunnelOperator.Controllers.Controllers;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Tests.Controllers;

public sealed class ErrorPolicyTests
{
    private static KubernetesApiException Api(int code, string reason, int? retryAfterSeconds = null) =>
        new(new Status { Code = code, Reason = reason, Details = retryAfterSeconds is { } s ? new StatusDetails { RetryAfterSeconds = s } : null }, "patch tunnels x");

    [Fact]
    public void Conflict_IsRetriedWithBackoff()
    {
        var decision = DefaultErrorPolicy.Instance.Decide(Api(409, StatusReasons.Conflict), retries: 0);

        Assert.Equal(ErrorDecisionKind.Backoff, decision.Kind);
    }

    [Fact]
    public void TooManyRequests_WithRetryAfter_WaitsWhatTheServerSaid()
    {
        var decision = DefaultErrorPolicy.Instance.Decide(Api(429, StatusReasons.TooManyRequests, retryAfterSeconds: 7), retries: 3);

        Assert.Equal((ErrorDecisionKind.RetryAfter, TimeSpan.FromSeconds(7)), (decision.Kind, decision.Delay));
    }

    [Fact]
    public void TooManyRequests_WithoutRetryAfter_BacksOff() =>
        Assert.Equal(ErrorDecisionKind.Backoff, DefaultErrorPolicy.Instance.Decide(Api(429, StatusReasons.TooManyRequests), 0).Kind);

    [Fact]
    public void ServerTimeout_WithRetryAfter_WaitsToo() =>
        Assert.Equal(TimeSpan.FromSeconds(2), DefaultErrorPolicy.Instance.Decide(Api(504, StatusReasons.ServerTimeout, 2), 0).Delay);

    [Fact]
    public void AnyOtherFault_BacksOff_NeverDrops()
    {
        Assert.Equal(ErrorDecisionKind.Backoff, DefaultErrorPolicy.Instance.Decide(new InvalidOperationException("edge admin API down"), 50).Kind);
        Assert.Equal(ErrorDecisionKind.Backoff, DefaultErrorPolicy.Instance.Decide(Api(500, StatusReasons.InternalError), 0).Kind);
    }

    [Fact]
    public void Results_SayWhatComesNext()
    {
        Assert.False(ReconcileResult.Done.IsRequeue);
        Assert.Equal(TimeSpan.FromMinutes(1), ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(1)).Delay);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErrorDecision.RetryAfter(TimeSpan.FromSeconds(-1)));
    }
}
