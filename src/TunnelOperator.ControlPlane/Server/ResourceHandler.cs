using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Auth;
using TunnelOperator.ControlPlane.Workloads.Logs;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// The HTTP face of the verbs: parses query parameters and bodies, calls <see cref="ResourceService"/>,
/// and renders objects, lists, Tables, watch streams and Status errors as kube-apiserver's handlers do.
/// </summary>
internal sealed partial class ResourceHandler
{
    private readonly ResourceService _service;
    private readonly LocalControlPlaneOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PodLogs? _podLogs;
    private int _watchers;

    public ResourceHandler(ResourceService service, LocalControlPlaneOptions options, ILogger logger, PodLogs? podLogs = null)
    {
        _service = service;
        _podLogs = podLogs;
        _options = options;
        _time = options.Time;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context, RequestInfo info, UserInfo user)
    {
        var def = _service.Registry.Find(info.Group, info.Version, info.Resource);
        if (def is null || (info.Namespace.Length > 0 && !def.Namespaced))
        {
            await Responses.WriteErrorAsync(context, ApiError.PathNotFound());
            return;
        }

        if (IsPodSubresource(def, info))
        {
            using var podTimeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var podLinked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, podTimeout.Token);
            await HandlePodSubresourceAsync(context, def, info, user, podLinked.Token);
            return;
        }

        if (info.Subresource.Length > 0 && !(info.Subresource == "status" && def.HasStatus) && !(info.Subresource == "scale" && def.Scale is not null)
            && !(info.Subresource == "finalize" && def.Resource == "namespaces"))
        {
            await Responses.WriteErrorAsync(context, ApiError.PathNotFound());
            return;
        }

        // Verbs a resource does not offer (as discovery lists them) are 405 MethodNotAllowed, e.g. deletecollection on services.
        if (info.Subresource.Length == 0 && info.Verb.Length > 0 && !def.Verbs.Contains(info.Verb))
        {
            await Responses.WriteErrorAsync(context, ApiError.MethodNotSupported(def.GroupResource, info.Verb));
            return;
        }

        var accept = Accept.Parse(context.Request.Headers.Accept.ToString());
        if (!accept.Acceptable)
        {
            await Responses.WriteErrorAsync(context, ApiError.NotAcceptable(context.Request.Headers.Accept.ToString()));
            return;
        }

        if (info.Verb == "watch")
        {
            await WatchAsync(context, def, info, accept);
            return;
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        try
        {
            await (info.Verb switch
            {
                "get" => GetAsync(context, def, info, accept),
                "list" => ListAsync(context, def, info, accept),
                "create" when info.Name.Length == 0 => CreateAsync(context, def, info, user, accept, linked.Token),
                "update" => UpdateAsync(context, def, info, user, accept, linked.Token),
                "patch" => PatchAsync(context, def, info, user, accept, linked.Token),
                "delete" => DeleteAsync(context, def, info, accept, linked.Token),
                "deletecollection" => DeleteCollectionAsync(context, def, info, linked.Token),
                _ => Responses.WriteErrorAsync(context, new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")),
            });
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            if (!context.Response.HasStarted)
            {
                await Responses.WriteErrorAsync(context, ApiError.Timeout("request did not complete within requested timeout - context deadline exceeded"));
            }
        }
    }

    private static string? Query(HttpContext context, string name)
    {
        var v = context.Request.Query[name];
        return v.Count == 0 ? null : v[^1];
    }

    private static bool DryRun(HttpContext context, out ApiError? error)
    {
        error = null;
        var values = context.Request.Query["dryRun"];
        foreach (var v in values)
        {
            if (v != "All")
            {
                error = ApiError.Invalid(new GroupKind("meta.k8s.io", "CreateOptions"), "", [Schema.FieldError.NotSupported("dryRun", v, ["All"])]);
                return false;
            }
        }

        return values.Count > 0;
    }

    /// <summary>
    /// Write options from the query: dryRun, fieldValidation, force, and fieldManager (required for
    /// apply; otherwise defaulted from the User-Agent's product token, as kube-apiserver does).
    /// </summary>
    private ApiError? ParseWriteOptions(HttpContext context, string? subresource, bool apply, out WriteOptions options)
    {
        options = new WriteOptions();
        var dryRun = DryRun(context, out var dryRunError);
        if (dryRunError is not null)
        {
            return dryRunError;
        }

        var validation = FieldValidation.Warn;
        switch (Query(context, "fieldValidation"))
        {
            case null or "" or "Warn":
                break;
            case "Strict":
                validation = FieldValidation.Strict;
                break;
            case "Ignore":
                validation = FieldValidation.Ignore;
                break;
            case var other:
                return ApiError.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }

        var manager = Query(context, "fieldManager") ?? "";
        if (manager.Length == 0)
        {
            if (apply)
            {
                return ApiError.Invalid(new GroupKind("meta.k8s.io", "PatchOptions"), "", [Schema.FieldError.Required("fieldManager", "is required for apply patch")]);
            }

            var agent = context.Request.Headers.UserAgent.ToString();
            manager = agent.Split('/')[0];
            if (manager.Length == 0)
            {
                manager = "unknown";
            }
        }

        if (manager.Length > 128)
        {
            return ApiError.Invalid(new GroupKind("meta.k8s.io", apply ? "PatchOptions" : "UpdateOptions"), "",
                [Schema.FieldError.TooLong("fieldManager", 128)]);
        }

        var force = Query(context, "force");
        if (force is not null && !apply)
        {
            return ApiError.Invalid(new GroupKind("meta.k8s.io", "PatchOptions"), "", [Schema.FieldError.Forbidden("force", "may not be specified for non-apply patch")]);
        }

        options = new WriteOptions
        {
            DryRun = dryRun,
            FieldManager = manager,
            Validation = validation,
            Subresource = string.IsNullOrEmpty(subresource) ? null : subresource,
            Force = RequestDispatcher.IsTrue(force),
        };
        return null;
    }

    private static long? ParseLong(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private async Task WriteObjectAsync(HttpContext context, ResourceDefinition def, int status, JsonObject obj, Accept accept)
    {
        if (accept.Kind == OutputKind.Table && TableResponses.Table(def, [obj], null, IncludeObjectParam(context), _time.GetUtcNow()) is { } table)
        {
            await Responses.WriteJsonAsync(context, status, table);
            return;
        }

        if (accept.Kind == OutputKind.PartialObjectMetadata)
        {
            await Responses.WriteJsonAsync(context, status, PartialMetadata(obj));
            return;
        }

        await Responses.WriteJsonAsync(context, status, obj);
    }

    private static JsonObject PartialMetadata(JsonObject obj) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private static string IncludeObjectParam(HttpContext context) => Query(context, "includeObject") ?? "";
}
