using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Server;

internal sealed partial class ResourceHandler
{
    private async Task GetAsync(HttpContext context, ResourceDefinition def, RequestInfo info, Accept accept)
    {
        var obj = _service.Get(def, info.Namespace, info.Name);
        if (obj is null)
        {
            await Responses.WriteErrorAsync(context, ApiError.NotFound(def.GroupResource, info.Name));
            return;
        }

        if (info.Subresource == "scale")
        {
            await Responses.WriteJsonAsync(context, 200, ScaleSubresource.ToScale(def, obj));
            return;
        }

        await WriteObjectAsync(context, def, 200, obj, accept);
    }

    /// <summary>Selectors from the query, or the 400 kube-apiserver answers for a malformed one.</summary>
    private static (LabelSelector? Labels, FieldSelector? Fields, ApiError? Error) Selectors(HttpContext context, ResourceDefinition def, RequestInfo info)
    {
        var labels = LabelSelector.Parse(Query(context, "labelSelector"), out var labelError);
        if (labels is null)
        {
            return (null, null, ApiError.BadRequest(labelError!));
        }

        var fieldText = Query(context, "fieldSelector");
        if (info.Verb == "watch" && info.Name.Length > 0)
        {
            // A watch on a single object is a watch with metadata.name pinned.
            fieldText = string.IsNullOrEmpty(fieldText) ? $"metadata.name={info.Name}" : $"{fieldText},metadata.name={info.Name}";
        }

        var fields = FieldSelector.Parse(fieldText, out var fieldError);
        if (fields is null)
        {
            return (null, null, ApiError.BadRequest(fieldError!));
        }

        if (fields.Unsupported(def, new JsonObject()) is { } unsupported)
        {
            return (null, null, ApiError.BadRequest(unsupported));
        }

        return (labels, fields, null);
    }

    private async Task ListAsync(HttpContext context, ResourceDefinition def, RequestInfo info, Accept accept)
    {
        var (labels, fields, selectorError) = Selectors(context, def, info);
        if (selectorError is not null)
        {
            await Responses.WriteErrorAsync(context, selectorError);
            return;
        }

        var (items, currentRv) = _service.Store.List(def.Key, def.Namespaced ? info.Namespace : null);
        var rvParam = Query(context, "resourceVersion") ?? "";
        var rvMatch = Query(context, "resourceVersionMatch") ?? "";
        if (rvParam.Length > 0 && rvParam != "0")
        {
            var wanted = Meta.ParseResourceVersion(rvParam);
            if (wanted < 0)
            {
                await Responses.WriteErrorAsync(context, ApiError.BadRequest($"resourceVersion: Invalid value: \"{rvParam}\": must be a valid resource version"));
                return;
            }

            if (wanted > currentRv)
            {
                await Responses.WriteErrorAsync(context, ApiError.Timeout($"Too large resource version: {wanted}, current: {currentRv}") with { RetryAfterSeconds = 1 });
                return;
            }

            // Only the latest state is kept, so an exact read of an older version is gone (as after compaction).
            if (rvMatch == "Exact" && wanted != currentRv)
            {
                await Responses.WriteErrorAsync(context, ApiError.Expired($"too old resource version: {wanted} ({currentRv})"));
                return;
            }
        }
        else if (rvMatch.Length > 0 && rvParam.Length == 0)
        {
            await Responses.WriteErrorAsync(context, ApiError.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"));
            return;
        }

        var selected = items.Where(o => labels!.Matches(Meta.Labels(o)) && fields!.Matches(def, o)).ToList();

        // Paging: the continue token names the last key served and the list's resourceVersion (storage's
        // continueToken); later pages read the current state after that key.
        var listRv = currentRv;
        var continueToken = Query(context, "continue");
        if (!string.IsNullOrEmpty(continueToken))
        {
            if (!TryDecodeContinue(continueToken, out var startKey, out var tokenRv))
            {
                await Responses.WriteErrorAsync(context, ApiError.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
                return;
            }

            if (tokenRv < _service.Store.Hub.OldestWatchable)
            {
                await Responses.WriteErrorAsync(context, ApiError.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."));
                return;
            }

            listRv = tokenRv;
            selected = [.. selected.Where(o => string.CompareOrdinal(KeyOf(o), startKey) > 0)];
        }

        string? nextToken = null;
        long? remaining = null;
        var limit = ParseLong(Query(context, "limit")) ?? 0;
        if (limit > 0 && selected.Count > limit)
        {
            remaining = selected.Count - limit;
            selected = selected.Take((int)limit).ToList();
            nextToken = EncodeContinue(KeyOf(selected[^1]), listRv);
        }

        var served = selected.Select(o => _service.ForRead(def, o)).ToList();
        var rvText = listRv.ToString(CultureInfo.InvariantCulture);
        if (accept.Kind == OutputKind.Table && TableResponses.Table(def, served, rvText, IncludeObjectParam(context), _time.GetUtcNow()) is { } table)
        {
            if (nextToken is not null)
            {
                Meta.Metadata(table)["continue"] = nextToken;
            }

            await Responses.WriteJsonAsync(context, 200, table);
            return;
        }

        var listMeta = new JsonObject { ["resourceVersion"] = rvText };
        if (nextToken is not null)
        {
            listMeta["continue"] = nextToken;
            listMeta["remainingItemCount"] = remaining;
        }

        var list = accept.Kind == OutputKind.PartialObjectMetadata
            ? new JsonObject { ["kind"] = "PartialObjectMetadataList", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = listMeta, ["items"] = new JsonArray([.. served.Select(o => (JsonNode)PartialMetadata(o))]) }
            : new JsonObject { ["apiVersion"] = def.ApiVersion, ["kind"] = def.ListKind, ["metadata"] = listMeta, ["items"] = new JsonArray([.. served]) };
        await Responses.WriteJsonAsync(context, 200, list);
    }

    private static string KeyOf(JsonObject o) => Meta.Namespace(o) + "/" + Meta.Name(o);

    private static string EncodeContinue(string key, long rv)
    {
        var token = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = key + "\u0000" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(token.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static bool TryDecodeContinue(string token, out string startKey, out long rv)
    {
        startKey = "";
        rv = 0;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            if (Meta.Str(node?["v"]) != "meta.k8s.io/v1" || Meta.Str(node?["start"]) is not { } start || node?["rv"] is not JsonValue rvValue || !rvValue.TryGetValue(out rv))
            {
                return false;
            }

            startKey = start.TrimEnd('\u0000');
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
