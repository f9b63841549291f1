using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TunnelOperator.Kubernetes.Errors;

namespace TunnelOperator.Kubernetes.Tests.Errors;

/// <summary>Failed responses that are not from the API server proper: proxies, load balancers, empty bodies.</summary>
public sealed class ApiErrorsTests
{
    private static HttpResponseMessage Response(HttpStatusCode code, string body, string contentType = "text/html") =>
        new(code) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "Unknown", "bad gateway")]
    [InlineData(HttpStatusCode.NotFound, "", "NotFound", "no Status")]
    [InlineData(HttpStatusCode.Gone, "gone", "Gone", "gone")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "{\"not\":\"a status\"}", "ServiceUnavailable", "not")]
    public async Task NonStatusBody_BecomesAStatusFromTheHttpCode(HttpStatusCode code, string body, string reason, string inMessage)
    {
        using var response = Response(code, body);

        var error = await ApiErrors.FromResponseAsync(response, "get pods.core/v1 a/b", 1 << 20, TestContext.Current.CancellationToken);

        Assert.Equal((int)code, error.Code);
        Assert.Equal(reason, error.Reason);
        Assert.Contains(inMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal(code == HttpStatusCode.Gone, error is ResourceVersionExpiredException);
        Assert.Equal(code == HttpStatusCode.NotFound, error.IsNotFound);
    }

    [Fact]
    public async Task RetryAfterHeader_IsKept_WhenTheStatusHasNone()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"TooManyRequests\",\"message\":\"slow down\",\"code\":429}", "application/json");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));

        var error = await ApiErrors.FromResponseAsync(response, "list pods.core/v1", 1 << 20, TestContext.Current.CancellationToken);

        Assert.True(error.IsTooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Fact]
    public async Task LongBodies_AreCutInTheMessage()
    {
        using var response = Response(HttpStatusCode.InternalServerError, new string('x', 10_000));

        var error = await ApiErrors.FromResponseAsync(response, "get pods.core/v1 a/b", 1 << 20, TestContext.Current.CancellationToken);

        Assert.True(error.Message.Length < 700);
    }
}
