using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Auth;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Server;

internal sealed partial class ResourceHandler
{
    private async Task CreateAsync(HttpContext context, ResourceDefinition def, RequestInfo info, UserInfo user, Accept accept, CancellationToken ct)
    {
        if (ParseWriteOptions(context, null, apply: false, out var options) is { } optionsError)
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

        if (def.Namespaced && info.Namespace.Length == 0)
        {
            await Responses.WriteErrorAsync(context, ApiError.PathNotFound());
            return;
        }

        var outcome = await _service.CreateAsync(def, info.Namespace, body!, options, ct);
        await FinishWriteAsync(context, def, outcome, accept, successStatus: 201);
    }

    private async Task UpdateAsync(HttpContext context, ResourceDefinition def, RequestInfo info, UserInfo user, Accept accept, CancellationToken ct)
    {
        if (ParseWriteOptions(context, info.Subresource, apply: false, out var options) is { } optionsError)
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

        WriteOutcome outcome;
        if (info.Subresource == "scale")
        {
            outcome = await ScaleSubresource.UpdateAsync(_service, def, info.Namespace, info.Name, body!, options, ct);
            if (outcome.Error is null && outcome.Object is { } scaled)
            {
                Responses.AddWarnings(context, outcome.Warnings);
                await Responses.WriteJsonAsync(context, 200, ScaleSubresource.ToScale(def, scaled));
                return;
            }
        }
        else if (info.Subresource == "finalize")
        {
            outcome = await _service.FinalizeNamespaceAsync(def, info.Name, body!, options, ct);
        }
        else
        {
            outcome = await _service.UpdateAsync(def, info.Namespace, info.Name, body!, options, ct);
        }

        await FinishWriteAsync(context, def, outcome, accept, successStatus: 200);
    }

    private async Task FinishWriteAsync(HttpContext context, ResourceDefinition def, WriteOutcome outcome, Accept accept, int successStatus)
    {
        Responses.AddWarnings(context, outcome.Warnings);
        if (outcome.Error is { } error)
        {
            await Responses.WriteErrorAsync(context, error);
            return;
        }

        var status = outcome.Created ? 201 : successStatus;
        if (outcome.Kind == MutationKind.Delete && outcome.Object is { } gone)
        {
            // An update that removed the last finalizer completed a deletion: answer with the final state.
            await WriteObjectAsync(context, def, 200, gone, accept);
            return;
        }

        await WriteObjectAsync(context, def, status, outcome.Object!, accept);
    }

    /// <summary>DeleteOptions from the body (kubectl sends one) or from query parameters.</summary>
    private async Task<(DeleteOptions? Options, ApiError? Error)> ReadDeleteOptionsAsync(HttpContext context)
    {
        var dryRun = DryRun(context, out var dryRunError);
        if (dryRunError is not null)
        {
            return (null, dryRunError);
        }

        var options = new DeleteOptions
        {
            PropagationPolicy = Query(context, "propagationPolicy"),
            GracePeriodSeconds = ParseLong(Query(context, "gracePeriodSeconds")),
            DryRun = dryRun,
        };
        if (Query(context, "orphanDependents") is { } orphan && options.PropagationPolicy is null)
        {
            options = options with { PropagationPolicy = RequestDispatcher.IsTrue(orphan) ? "Orphan" : "Background" };
        }

        var (text, error) = await RequestBody.ReadTextAsync(context, _options.MaxRequestBodyBytes);
        if (error is not null)
        {
            return (null, error);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (options, null);
        }

        var (node, decodeError) = RequestBody.Decode(text, RequestBody.MediaType(context));
        if (decodeError is not null)
        {
            return (null, decodeError);
        }

        if (node is not JsonObject body)
        {
            return (null, ApiError.BadRequest("DeleteOptions must be an object"));
        }

        var bodyDryRun = body["dryRun"] is JsonArray d && d.Any(x => Meta.Str(x) == "All");
        var propagation = Meta.Str(body["propagationPolicy"]);
        if (propagation is null && body["orphanDependents"] is JsonValue ov && ov.TryGetValue<bool>(out var orphanBool))
        {
            propagation = orphanBool ? "Orphan" : "Background";
        }

        options = options with
        {
            PropagationPolicy = propagation ?? options.PropagationPolicy,
            PreconditionUid = Meta.Str(body["preconditions"]?["uid"]),
            PreconditionResourceVersion = Meta.Str(body["preconditions"]?["resourceVersion"]),
            GracePeriodSeconds = Meta.Long(body["gracePeriodSeconds"]) is { } grace ? grace : options.GracePeriodSeconds,
            DryRun = options.DryRun || bodyDryRun,
        };
        return (options, null);
    }

    private async Task DeleteAsync(HttpContext context, ResourceDefinition def, RequestInfo info, Accept accept, CancellationToken ct)
    {
        if (info.Subresource.Length > 0)
        {
            await Responses.WriteErrorAsync(context, new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));
            return;
        }

        var (options, error) = await ReadDeleteOptionsAsync(context);
        if (error is not null)
        {
            await Responses.WriteErrorAsync(context, error);
            return;
        }

        var outcome = await _service.DeleteAsync(def, info.Namespace, info.Name, options!, ct);
        if (outcome.Error is { } e)
        {
            await Responses.WriteErrorAsync(context, e);
            return;
        }

        var obj = outcome.Object!;
        if (outcome.Kind == MutationKind.Delete && !def.Strategy.ReturnsDeletedObject)
        {
            // Deleted now: kube-apiserver answers with a Success Status naming the object (finalizeDelete).
            await Responses.WriteJsonAsync(context, 200, Responses.Success(def, Meta.Name(obj), Meta.Uid(obj)));
            return;
        }

        // Still present (finalizers pending): the object, with its deletionTimestamp.
        await WriteObjectAsync(context, def, 200, obj, accept);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceDefinition def, RequestInfo info, CancellationToken ct)
    {
        var (labels, fields, selectorError) = Selectors(context, def, info);
        if (selectorError is not null)
        {
            await Responses.WriteErrorAsync(context, selectorError);
            return;
        }

        var (options, error) = await ReadDeleteOptionsAsync(context);
        if (error is not null)
        {
            await Responses.WriteErrorAsync(context, error);
            return;
        }

        var (deleted, deleteError) = await _service.DeleteCollectionAsync(def, def.Namespaced && info.Namespace.Length > 0 ? info.Namespace : null,
            o => labels!.Matches(Meta.Labels(o)) && fields!.Matches(def, o), options!, ct);
        if (deleteError is not null)
        {
            await Responses.WriteErrorAsync(context, deleteError);
            return;
        }

        var list = new JsonObject
        {
            ["apiVersion"] = def.ApiVersion,
            ["kind"] = def.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _service.Store.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. deleted]),
        };
        await Responses.WriteJsonAsync(context, 200, list);
    }
}
