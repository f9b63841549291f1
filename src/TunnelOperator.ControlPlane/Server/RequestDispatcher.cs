using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Auth;
using TunnelOperator.ControlPlane.Discovery;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// The one request entry point, in kube-apiserver's filter order: health and version (open to anonymous
/// callers, as the system:public-info-viewer role allows), authentication (401), authorization (403),
/// then discovery, OpenAPI, or a resource verb. Every failure is a Status.
/// </summary>
internal sealed partial class RequestDispatcher
{
    private readonly Authenticator _authenticator;
    private readonly IAuthorizer _authorizer;
    private readonly DiscoveryHandler _discovery;
    private readonly ResourceHandler _resources;
    private readonly LocalControlPlaneOptions _options;
    private readonly ILogger _logger;

    public RequestDispatcher(Authenticator authenticator, IAuthorizer authorizer, DiscoveryHandler discovery, ResourceHandler resources, LocalControlPlaneOptions options, ILogger logger)
    {
        _authenticator = authenticator;
        _authorizer = authorizer;
        _discovery = discovery;
        _resources = resources;
        _options = options;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        context.Response.Headers["Audit-Id"] = Guid.NewGuid().ToString();
        if (path is "/healthz" or "/livez" or "/readyz" || path.StartsWith("/healthz/", StringComparison.Ordinal) || path.StartsWith("/livez/", StringComparison.Ordinal) || path.StartsWith("/readyz/", StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return;
        }

        if (path == "/version")
        {
            await Responses.WriteJsonAsync(context, 200, VersionInfo.Document());
            return;
        }

        var user = _authenticator.Authenticate(context);
        if (user is null)
        {
            await Responses.WriteErrorAsync(context, ApiError.Unauthorized());
            return;
        }

        var info = RequestInfo.Parse(context.Request.Method, path, IsTrue(context.Request.Query["watch"]));
        var attributes = new AuthorizationAttributes(user, info?.Verb ?? context.Request.Method.ToLowerInvariant(), info?.Group ?? "", info?.Resource ?? "", info?.Subresource ?? "", info?.Namespace ?? "", info?.Name ?? "", path);
        if (!_authorizer.Authorize(attributes, out var reason))
        {
            var message = info is null
                ? $"forbidden: User \"{user.Name}\" cannot {attributes.Verb} path \"{path}\""
                : $"{new GroupResource(info.Group, info.Resource)} is forbidden: User \"{user.Name}\" cannot {info.Verb} resource \"{info.Resource}\" in API group \"{info.Group}\"{(info.Namespace.Length > 0 ? $" in the namespace \"{info.Namespace}\"" : " at the cluster scope")}";
            await Responses.WriteErrorAsync(context, new ApiError(403, "Forbidden", reason.Length > 0 ? $"{message}: {reason}" : message) { Name = info?.Name, Group = info?.Group, Kind = info?.Resource });
            return;
        }

        try
        {
            if (await _discovery.TryHandleAsync(context, path))
            {
                return;
            }

            if (info is null)
            {
                await Responses.WriteErrorAsync(context, ApiError.PathNotFound());
                return;
            }

            await _resources.HandleAsync(context, info, user);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Unhandled(_logger, e, context.Request.Method, path);
            if (!context.Response.HasStarted)
            {
                await Responses.WriteErrorAsync(context, ApiError.Internal(e.Message));
            }
        }
    }

    internal static bool IsTrue(string? value) => value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
        public static partial void Unhandled(ILogger logger, Exception e, string method, string path);
    }
}
