using System.Buffers;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using TunnelOperator.Edge.Routing;
using TunnelOperator.Mux;

namespace TunnelOperator.Edge.Forwarding;

/// <summary>
/// Forwards one public request to the agent that owns its Host:
/// <list type="number">
/// <item>refuse what must never be forwarded (ambiguous framing, bad Host, over-limit bodies);</item>
/// <item>find the live tunnel for the subdomain and take one of its request slots;</item>
/// <item>send the request through the tunnel's <see cref="HttpMessageInvoker"/>, whose
///   connections are mux streams that the agent splices to the origin;</item>
/// <item>stream the response back, or splice both ways after a 101 (WebSocket).</item>
/// </list>
/// Client disconnects, tunnel eviction and shutdown all cancel the upstream request.
/// </summary>
public sealed partial class HttpForwarder(EdgeServices edge, CancellationToken shutdown)
{
    public const string NoTunnelMessage = "no active tunnel for this hostname";
    public const string CapacityMessage = "tunnel is at its concurrent-request capacity";

    private readonly ILogger _logger = edge.LoggerFactory.CreateLogger<HttpForwarder>();

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        edge.Metrics.RequestReceived();
        using var activity = StartActivity(context.Request);
        try
        {
            await ForwardAsync(context).ConfigureAwait(false);
        }
        finally
        {
            activity?.SetTag("http.response.status_code", context.Response.StatusCode);
            edge.Metrics.ResponseSent(context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;

        // Request smuggling guards: a message whose length is ambiguous is never forwarded
        // (RFC 9112 §6.3 lets a proxy reject it; we always do).
        // Kestrel itself renames a Content-Length that arrives beside Transfer-Encoding to
        // X-Content-Length (and closes the connection afterwards); either form is refused.
        if (request.Headers.ContainsKey("Transfer-Encoding")
            && (request.Headers.ContainsKey("Content-Length") || request.Headers.ContainsKey("X-Content-Length")))
        {
            await RespondAsync(context, StatusCodes.Status400BadRequest, "request has both Content-Length and Transfer-Encoding").ConfigureAwait(false);
            return;
        }

        if (request.Headers.ContentLength is null && request.Headers.TryGetValue("Content-Length", out var lengths) && lengths.Count > 0)
        {
            await RespondAsync(context, StatusCodes.Status400BadRequest, "request has an invalid or repeated Content-Length").ConfigureAwait(false);
            return;
        }

        switch (edge.HostRouting.TryGetSubdomain(request.Host.Value, out var subdomain))
        {
            case HostRouteError.Malformed:
                await RespondAsync(context, StatusCodes.Status400BadRequest, "malformed Host header").ConfigureAwait(false);
                return;
            case HostRouteError.NotUnderBaseHost:
                await RespondAsync(context, StatusCodes.Status421MisdirectedRequest, $"this edge serves only <name>.{edge.Options.BaseHost}").ConfigureAwait(false);
                return;
        }

        if (!edge.Registry.TryGet(subdomain, out var tunnel))
        {
            await RespondAsync(context, StatusCodes.Status502BadGateway, NoTunnelMessage).ConfigureAwait(false);
            return;
        }

        if (!tunnel.TryEnterRequest())
        {
            await RespondAsync(context, StatusCodes.Status503ServiceUnavailable, CapacityMessage).ConfigureAwait(false);
            return;
        }

        try
        {
            await ForwardToTunnelAsync(context, tunnel).ConfigureAwait(false);
        }
        finally
        {
            tunnel.ExitRequest();
        }
    }

    private async Task ForwardToTunnelAsync(HttpContext context, ActiveTunnel tunnel)
    {
        var request = context.Request;
        var limit = edge.Options.MaxRequestBodyBytes;
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        if (limit is { } max && request.ContentLength > max)
        {
            edge.Metrics.BodyLimitExceeded();
            await RespondAsync(context, StatusCodes.Status413PayloadTooLarge, $"request body exceeds the edge's limit of {max} bytes").ConfigureAwait(false);
            return;
        }

        var upgradeFeature = context.Features.Get<IHttpUpgradeFeature>();
        var isUpgrade = upgradeFeature is { IsUpgradableRequest: true }
            && request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

        // A WebSocket over HTTP/2 (RFC 8441) arrives as CONNECT with :protocol websocket; the
        // origin is asked with the HTTP/1.1 handshake (RFC 6455) instead.
        var connectFeature = context.Features.Get<IHttpExtendedConnectFeature>();
        var webSocketOverH2 = connectFeature is { IsExtendedConnect: true }
            && string.Equals(connectFeature.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        if (connectFeature is { IsExtendedConnect: true } && !webSocketOverH2)
        {
            await RespondAsync(context, StatusCodes.Status501NotImplemented, $"extended CONNECT for '{connectFeature.Protocol}' is not supported; only websocket is").ConfigureAwait(false);
            return;
        }

        var connection = context.Connection;
        var method = webSocketOverH2 ? HttpMethod.Get : UpstreamMethod(request.Method);
        using var upstreamRequest = new ForwardedRequest(method, BuildUri(context, tunnel), connection.RemoteIpAddress, connection.RemotePort)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        RequestBodyContent? body = null;
        if (HasBody(request) && !isUpgrade && !webSocketOverH2)
        {
            body = new RequestBodyContent(request.Body, request.ContentLength);
            upstreamRequest.Content = body;
        }

        HeaderPolicy.CopyRequestHeaders(request, upstreamRequest, isUpgrade);
        var webSocketKey = webSocketOverH2 ? WebSocketHandshake.AddHttp11Headers(upstreamRequest) : null;
        upstreamRequest.Headers.Host = request.Host.Value;
        upstreamRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", connection.RemoteIpAddress?.ToString() ?? "unknown");
        upstreamRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        upstreamRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, tunnel.Closed, shutdown);
        HttpResponseMessage response;
        try
        {
            response = await tunnel.Invoker.SendAsync(upstreamRequest, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (body is { LimitExceeded: true } && e is HttpRequestException or IOException or OperationCanceledException or BadHttpRequestException)
        {
            edge.Metrics.BodyLimitExceeded();
            await RespondAsync(context, StatusCodes.Status413PayloadTooLarge, $"request body exceeds the edge's limit of {limit} bytes").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away; the upstream request was cancelled with it
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or MuxException)
        {
            LogUpstreamFailed(_logger, tunnel.Subdomain, e.Message);
            var message = tunnel.Closed.IsCancellationRequested || shutdown.IsCancellationRequested
                ? "tunnel closed while the request was in flight"
                : "the tunnel's agent could not complete the request";
            await RespondAsync(context, StatusCodes.Status502BadGateway, message).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.SwitchingProtocols && isUpgrade)
            {
                HeaderPolicy.CopyResponseHeaders(response, context.Response, upgrade: true);
                await SpliceUpgradeAsync(upgradeFeature!, response, cancel.Token).ConfigureAwait(false);
                return;
            }

            if (webSocketKey is not null)
            {
                if (response.StatusCode == HttpStatusCode.SwitchingProtocols && WebSocketHandshake.Accepts(response, webSocketKey))
                {
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    WebSocketHandshake.CopyAcceptedHeaders(response, context.Response);
                    var upstream = await response.Content.ReadAsStreamAsync(cancel.Token).ConfigureAwait(false);
                    var client = await connectFeature!.AcceptAsync().ConfigureAwait(false);
                    await StreamSplice.RunAsync(client, upstream, cancel.Token).ConfigureAwait(false);
                    return;
                }

                if (response.StatusCode == HttpStatusCode.SwitchingProtocols)
                {
                    LogUpstreamFailed(_logger, tunnel.Subdomain, "the origin accepted the WebSocket with a wrong Sec-WebSocket-Accept");
                    await RespondAsync(context, StatusCodes.Status502BadGateway, "the origin's WebSocket handshake was invalid").ConfigureAwait(false);
                    return;
                }
            }

            HeaderPolicy.CopyResponseHeaders(response, context.Response, upgrade: false);
            try
            {
                await CopyResponseBodyAsync(response, context, cancel.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
            {
                // Headers are gone already; all that is left is to cut the response short so
                // the client sees a truncated message rather than a complete wrong one.
                LogResponseAborted(_logger, tunnel.Subdomain, e.Message);
                context.Abort();
            }
        }
    }

    private static async Task CopyResponseBodyAsync(HttpResponseMessage response, HttpContext context, CancellationToken ct)
    {
        var upstream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var output = context.Response.Body;
            while (true)
            {
                var read = await upstream.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                // Each write is flushed by Kestrel, so streamed responses (SSE, long polls)
                // reach the client as the origin produces them.
                await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }

            // Asked in this order: reading TrailingHeaders creates them, and HTTP/1.1 clients get none.
            if (context.Response.SupportsTrailers() && response.TrailingHeaders.NonValidated.Count > 0)
            {
                foreach (var (name, values) in response.TrailingHeaders)
                {
                    context.Response.AppendTrailer(name, new Microsoft.Extensions.Primitives.StringValues([.. values]));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SpliceUpgradeAsync(IHttpUpgradeFeature upgrade, HttpResponseMessage response, CancellationToken ct)
    {
        var upstream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var client = await upgrade.UpgradeAsync().ConfigureAwait(false);
        await StreamSplice.RunAsync(client, upstream, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The span of one forwarded request, when anyone listens to the edge's activity source.
    /// Kestrel's own per-request activity is off (<see cref="Hosting.RequestQuietLoggerFactory"/>),
    /// so the span continues the client's W3C trace context (traceparent) itself.
    /// </summary>
    private static Activity? StartActivity(HttpRequest request)
    {
        if (!EdgeMetrics.ActivitySource.HasListeners())
        {
            return null;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(request.Headers, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            var found = ((IHeaderDictionary)carrier!)[name];
            value = found.Count == 0 ? null : found.ToString();
        }, out var traceParent, out var traceState);
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        return EdgeMetrics.ActivitySource.StartActivity("edge.forward", ActivityKind.Server, parent);
    }

    /// <summary>Kestrel hands out the common methods as constants; they map to HttpClient's cached ones (case-sensitively, as methods are).</summary>
    private static HttpMethod UpstreamMethod(string method) => method switch
    {
        "GET" => HttpMethod.Get,
        "HEAD" => HttpMethod.Head,
        "POST" => HttpMethod.Post,
        "PUT" => HttpMethod.Put,
        "DELETE" => HttpMethod.Delete,
        "PATCH" => HttpMethod.Patch,
        "OPTIONS" => HttpMethod.Options,
        _ => new HttpMethod(method),
    };

    private static Uri BuildUri(HttpContext context, ActiveTunnel tunnel)
    {
        // Keep the target exactly as the client sent it (no re-encoding) when it is in origin form.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = raw is { Length: > 0 } && raw[0] == '/'
            ? raw
            : context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        return new Uri($"http://{tunnel.Subdomain}.tunnel{target}", UriKind.Absolute);
    }

    private static bool HasBody(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return length > 0;
        }

        if (request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return true;
        }

        // HTTP/2 and HTTP/3 requests may carry a body with no length announced.
        return !HttpProtocol.IsHttp11(request.Protocol) && !HttpProtocol.IsHttp10(request.Protocol)
            && CanHaveBody(request);
    }

    private static bool CanHaveBody(HttpRequest request) =>
        request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;

    private static async Task RespondAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (status == StatusCodes.Status413PayloadTooLarge || status == StatusCodes.Status400BadRequest)
        {
            // The rest of the body is not read; close the connection rather than parse it as a request.
            context.Response.Headers.Connection = "close";
        }

        await context.Response.WriteAsync(message + "\n").ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "forwarding to {Subdomain} failed: {Reason}")]
    private static partial void LogUpstreamFailed(ILogger logger, string subdomain, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "response from {Subdomain} cut short: {Reason}")]
    private static partial void LogResponseAborted(ILogger logger, string subdomain, string reason);
}
