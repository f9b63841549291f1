using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Auth;
using TunnelOperator.ControlPlane.Workloads.Logs;

namespace TunnelOperator.ControlPlane.Server;

internal sealed partial class ResourceHandler
{
    private static bool IsPodSubresource(ResourceDefinition def, RequestInfo info) =>
        def.Group == "" && def.Resource == "pods" && info.Name.Length > 0 && info.Subresource is "log" or "binding";

    private Task HandlePodSubresourceAsync(HttpContext context, ResourceDefinition def, RequestInfo info, UserInfo user, CancellationToken ct) => (info.Subresource, info.Verb) switch
    {
        ("log", "get") => PodLogAsync(context, def, info, ct),
        ("binding", "create") => BindAsync(context, def, info, ct),
        _ => Responses.WriteErrorAsync(context, new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")),
    };

    /// <summary>POST pods/{name}/binding: the scheduler assigns a node.</summary>
    private async Task BindAsync(HttpContext context, ResourceDefinition def, RequestInfo info, CancellationToken ct)
    {
        if (ParseWriteOptions(context, "binding", apply: false, out var options) is { } optionsError)
        {
            await Responses.WriteErrorAsync(context, optionsError);
            return;
        }

        var (body, bodyError) = await RequestBody.ReadObjectAsync(context, _options.MaxRequestBodyBytes);
        if (bodyError is not null)
        {
            await Responses.WriteErrorAsync(context, bodyError);
            return;
        }

        var outcome = await _service.BindAsync(def, info.Namespace, info.Name, body!, options.FieldManager, ct);
        if (outcome.Error is { } error)
        {
            await Responses.WriteErrorAsync(context, error);
            return;
        }

        await Responses.WriteJsonAsync(context, 201, new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201,
        });
    }

    /// <summary>
    /// GET pods/{name}/log: the API server's checks (pod, container, node), then the kubelet's stream as
    /// text/plain, flushed as it is written so <c>kubectl logs -f</c> follows it.
    /// </summary>
    private async Task PodLogAsync(HttpContext context, ResourceDefinition def, RequestInfo info, CancellationToken requestCt)
    {
        var pod = _service.Get(def, info.Namespace, info.Name);
        if (pod is null)
        {
            await Responses.WriteErrorAsync(context, ApiError.NotFound(def.GroupResource, info.Name));
            return;
        }

        var (request, error) = ParseLogRequest(context, pod, info.Name, _time.GetUtcNow());
        if (error is null && string.IsNullOrEmpty(Meta.Str(pod["spec"]?["nodeName"])))
        {
            error = ApiError.BadRequest($"pod {info.Name} does not have a host assigned");
        }

        if (error is null && _podLogs is null)
        {
            error = new ApiError(503, "ServiceUnavailable", $"no kubelet serves node \"{Meta.Str(pod["spec"]?["nodeName"])}\": the control plane runs without its workload runner");
        }

        Func<Stream, CancellationToken, Task>? stream = null;
        if (error is null)
        {
            (error, stream) = _podLogs!.Open(pod, request!);
        }

        if (error is not null)
        {
            await Responses.WriteErrorAsync(context, error);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(context.RequestAborted);

        // A followed log outlives the request timeout, as kube-apiserver's long-running requests do.
        var ct = request!.Follow ? context.RequestAborted : requestCt;
        try
        {
            await stream!(context.Response.Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static (LogRequest? Request, ApiError? Error) ParseLogRequest(HttpContext context, JsonObject pod, string name, DateTimeOffset now)
    {
        var containers = Names(pod["spec"]?["containers"]);
        var init = Names(pod["spec"]?["initContainers"]);
        var container = Query(context, "container") ?? "";
        if (container.Length == 0)
        {
            if (containers.Count == 1 && init.Count == 0)
            {
                container = containers[0];
            }
            else
            {
                var message = $"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]";
                return (null, ApiError.BadRequest(init.Count > 0 ? $"{message} or one of the init containers: [{string.Join(" ", init)}]" : message));
            }
        }
        else if (!containers.Contains(container) && !init.Contains(container))
        {
            return (null, ApiError.BadRequest($"container {container} is not valid for pod {name}"));
        }

        var errors = new List<Schema.FieldError>();
        long? Positive(string field, long min)
        {
            if (Query(context, field) is not { } text)
            {
                return null;
            }

            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
            {
                errors.Add(Schema.FieldError.Invalid(field, text, min == 0 ? "must be greater than or equal to 0" : "must be greater than 0"));
                return null;
            }

            return value;
        }

        var tail = Positive("tailLines", 0);
        var limit = Positive("limitBytes", 1);
        var sinceSeconds = Positive("sinceSeconds", 1);
        DateTimeOffset? since = null;
        if (Query(context, "sinceTime") is { } sinceTime)
        {
            if (DateTimeOffset.TryParse(sinceTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                since = t;
            }
            else
            {
                errors.Add(Schema.FieldError.Invalid("sinceTime", sinceTime, "must be an RFC 3339 time"));
            }
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.Invalid(new GroupKind("", "PodLogOptions"), "", errors));
        }

        return (new LogRequest
        {
            Container = container,
            Follow = RequestDispatcher.IsTrue(Query(context, "follow")),
            Previous = RequestDispatcher.IsTrue(Query(context, "previous")),
            Timestamps = RequestDispatcher.IsTrue(Query(context, "timestamps")),
            TailLines = tail,
            LimitBytes = limit,
            Since = since ?? (sinceSeconds is { } s ? now.AddSeconds(-s) : null),
        }, null);
    }

    private static List<string> Names(JsonNode? containers) =>
        [.. (containers as JsonArray ?? []).OfType<JsonObject>().Select(c => Meta.Str(c["name"]) ?? "")];
}
