using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace TunnelOperator.Kubernetes.Tests.Support;

/// <summary>The verbs, with the status codes, reasons and messages kube-apiserver uses.</summary>
internal sealed partial class FakeApiServer
{
    private readonly Dictionary<string, string> _appliers = new(StringComparer.Ordinal);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    private Task DispatchAsync(HttpContext context, RecordedRequest request, Route route)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        return (request.Method, route.Name) switch
        {
            ("GET", null) when request["watch"] == "true" => WatchAsync(context, request),
            ("GET", null) => ListAsync(context, request, route),
            ("GET", _) => GetAsync(context, route),
            ("POST", null) when mediaType != "application/json" => UnsupportedAsync(context, mediaType),
            ("POST", null) => CreateAsync(context, request, route),
            ("PUT", _) when mediaType != "application/json" => UnsupportedAsync(context, mediaType),
            ("PUT", _) => ReplaceAsync(context, request, route),
            ("PATCH", _) => PatchAsync(context, request, route, mediaType),
            ("DELETE", _) => DeleteAsync(context, request, route),
            _ => StatusAsync(context, 405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
        };
    }

    private static Task UnsupportedAsync(HttpContext context, string? mediaType) =>
        StatusAsync(context, 415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {mediaType})");

    private static Task NotFoundAsync(HttpContext context, Route route) =>
        StatusAsync(context, 404, "NotFound", $"{route.Plural} \"{route.Name}\" not found", new JsonObject { ["name"] = route.Name, ["kind"] = route.Plural });

    private Task GetAsync(HttpContext context, Route route)
    {
        var value = Stored(route.CollectionPath, route.Name!);
        return value is null ? NotFoundAsync(context, route) : JsonAsync(context, 200, value);
    }

    private Task ListAsync(HttpContext context, RecordedRequest request, Route route)
    {
        if (request["continue"] == "expired")
        {
            return StatusAsync(context, 410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
        }

        List<JsonObject> items;
        string resourceVersion;
        lock (_gate)
        {
            // With no namespace, a namespaced resource lists across all of them.
            var suffix = "/" + route.Plural;
            items = _collections
                .Where(c => c.Key == route.CollectionPath || (route.Namespace is null && c.Key.StartsWith(route.GroupVersion + "/namespaces/", StringComparison.Ordinal) && c.Key.EndsWith(suffix, StringComparison.Ordinal)))
                .SelectMany(c => c.Value.Values)
                .Where(o => MatchesLabels(o, request["labelSelector"]))
                .Select(o => o.DeepClone().AsObject())
                .ToList();
            resourceVersion = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        }

        var offset = request["continue"] is { } token ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture) : 0;
        var limit = request["limit"] is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : int.MaxValue;
        var page = items.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture))) : null;
        foreach (var item in page)
        {
            // Items of a built-in list carry no apiVersion/kind on the wire.
            item.Remove("apiVersion");
            item.Remove("kind");
        }

        return JsonAsync(context, 200, new JsonObject
        {
            ["kind"] = "List",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion, ["continue"] = next },
            ["items"] = new JsonArray([.. page]),
        });
    }

    private Task CreateAsync(HttpContext context, RecordedRequest request, Route route)
    {
        var value = JsonNode.Parse(request.Body)!.AsObject();
        var metadata = value["metadata"]?.AsObject() ?? [];
        var name = (string?)metadata["name"] ?? ((string?)metadata["generateName"] is { } prefix ? prefix + Interlocked.Increment(ref _resourceVersion).ToString(CultureInfo.InvariantCulture) : null);
        if (name is null || !Dns1123Subdomain().IsMatch(name))
        {
            var kind = (string?)value["kind"] ?? route.Plural;
            return StatusAsync(context, 422, "Invalid", $"{kind} \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'", new JsonObject
            {
                ["name"] = name,
                ["kind"] = kind,
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'", ["field"] = "metadata.name" }),
            });
        }

        metadata["name"] = name;
        value["metadata"] = metadata;
        JsonObject stored;
        lock (_gate)
        {
            var collection = Collection(route.CollectionPath);
            if (collection.ContainsKey(name))
            {
                stored = null!;
            }
            else
            {
                if (request["dryRun"] != "All")
                {
                    stored = collection[name] = Stamp(value, route.Namespace, created: true);
                }
                else
                {
                    stored = value;
                }
            }
        }

        return stored is null
            ? StatusAsync(context, 409, "AlreadyExists", $"{route.Plural} \"{name}\" already exists", new JsonObject { ["name"] = name, ["kind"] = route.Plural })
            : JsonAsync(context, 201, stored.DeepClone());
    }

    private Task ReplaceAsync(HttpContext context, RecordedRequest request, Route route)
    {
        var value = JsonNode.Parse(request.Body)!.AsObject();
        JsonObject? result;
        lock (_gate)
        {
            var collection = Collection(route.CollectionPath);
            if (!collection.TryGetValue(route.Name!, out var current))
            {
                result = null;
            }
            else if ((string?)value["metadata"]?["resourceVersion"] is { } expected && expected != (string?)current["metadata"]!["resourceVersion"])
            {
                return StatusAsync(context, 409, "Conflict", $"Operation cannot be fulfilled on {route.Plural} \"{route.Name}\": the object has been modified; please apply your changes to the latest version and try again", new JsonObject { ["name"] = route.Name, ["kind"] = route.Plural });
            }
            else
            {
                result = Update(collection, current, route, route.Subresource == "status" ? WithStatus(current, value) : WithoutStatus(current, value));
            }
        }

        return result is null ? NotFoundAsync(context, route) : JsonAsync(context, 200, result);
    }

    private Task PatchAsync(HttpContext context, RecordedRequest request, Route route, string? mediaType)
    {
        if (mediaType == "application/apply-patch+yaml")
        {
            return ApplyAsync(context, request, route);
        }

        var patch = JsonNode.Parse(request.Body)!;
        JsonObject? result;
        lock (_gate)
        {
            var collection = Collection(route.CollectionPath);
            if (!collection.TryGetValue(route.Name!, out var current))
            {
                result = null;
            }
            else
            {
                JsonObject patched;
                switch (mediaType)
                {
                    case "application/merge-patch+json" or "application/strategic-merge-patch+json":
                        patched = JsonPatching.Merge(current, patch)!.AsObject();
                        break;
                    case "application/json-patch+json":
                        try
                        {
                            patched = JsonPatching.Apply(current, patch.AsArray()).AsObject();
                        }
                        catch (InvalidOperationException e)
                        {
                            return StatusAsync(context, 422, "Invalid", e.Message);
                        }

                        break;
                    default:
                        return StatusAsync(context, 415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {mediaType})");
                }

                result = Update(collection, current, route, route.Subresource == "status" ? WithStatus(current, patched) : WithoutStatus(current, patched));
            }
        }

        return result is null ? NotFoundAsync(context, route) : JsonAsync(context, 200, result);
    }

    /// <summary>
    /// Server-side apply, reduced to what the client's side of it shows: fieldManager required,
    /// apiVersion/kind required, create when missing, and a 409 with FieldManagerConflict causes
    /// when another manager applied before and force is not set.
    /// </summary>
    private Task ApplyAsync(HttpContext context, RecordedRequest request, Route route)
    {
        var manager = request["fieldManager"];
        if (string.IsNullOrEmpty(manager))
        {
            return StatusAsync(context, 400, "BadRequest", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        var applied = JsonNode.Parse(request.Body)!.AsObject();
        if (applied["apiVersion"] is null || applied["kind"] is null)
        {
            return StatusAsync(context, 400, "BadRequest", "invalid object type: /, Kind=");
        }

        var key = route.CollectionPath + "/" + route.Name;
        JsonObject result;
        lock (_gate)
        {
            var collection = Collection(route.CollectionPath);
            if (_appliers.TryGetValue(key, out var owner) && owner != manager && request["force"] != "true")
            {
                return StatusAsync(context, 409, "Conflict", $"Apply failed with 1 conflict: conflict with \"{owner}\": .data.key", new JsonObject
                {
                    ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{owner}\"", ["field"] = ".data.key" }),
                });
            }

            var dryRun = request["dryRun"] == "All";
            if (!collection.TryGetValue(route.Name!, out var current))
            {
                applied["metadata"]!["name"] = route.Name;
                result = dryRun ? applied : collection[route.Name!] = Stamp(applied, route.Namespace, created: true);
            }
            else
            {
                var merged = JsonPatching.Merge(current, applied)!.AsObject();
                result = dryRun ? merged : Update(collection, current, route, route.Subresource == "status" ? WithStatus(current, merged) : WithoutStatus(current, merged));
            }

            if (!dryRun)
            {
                _appliers[key] = manager;
                result["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = manager, ["operation"] = "Apply", ["apiVersion"] = (string?)applied["apiVersion"] });
                result = result.DeepClone().AsObject();
            }
        }

        return JsonAsync(context, 200, result);
    }

    private Task DeleteAsync(HttpContext context, RecordedRequest request, Route route)
    {
        var options = request.Body.Length > 0 ? JsonNode.Parse(request.Body)!.AsObject() : [];
        JsonNode response;
        lock (_gate)
        {
            var collection = Collection(route.CollectionPath);
            if (!collection.TryGetValue(route.Name!, out var current))
            {
                return NotFoundAsync(context, route);
            }

            if ((string?)options["preconditions"]?["uid"] is { } uid && uid != (string?)current["metadata"]!["uid"])
            {
                return StatusAsync(context, 409, "Conflict", $"Operation cannot be fulfilled on {route.Plural} \"{route.Name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {current["metadata"]!["uid"]}");
            }

            if (current["metadata"]!["finalizers"] is JsonArray { Count: > 0 })
            {
                current["metadata"]!["deletionTimestamp"] ??= "2026-11-24T13:20:00Z";
                response = Stamp(current, route.Namespace, created: false).DeepClone();
            }
            else
            {
                collection.Remove(route.Name!);
                response = new JsonObject
                {
                    ["kind"] = "Status",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Success",
                    ["details"] = new JsonObject { ["name"] = route.Name, ["kind"] = route.Plural, ["uid"] = (string?)current["metadata"]!["uid"] },
                };
            }
        }

        return JsonAsync(context, 200, response);
    }

    private async Task WatchAsync(HttpContext context, RecordedRequest request)
    {
        if (!_watches.TryDequeue(out var script))
        {
            await StatusAsync(context, 500, "InternalError", "the test did not expect a watch");
            return;
        }

        script.Opened.TrySetResult(request);
        if (script.Refusal is { } refusal)
        {
            await JsonAsync(context, refusal.Code, refusal.Status);
            return;
        }

        using var aborted = context.RequestAborted.Register(() => script.Aborted.TrySetResult());
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            await foreach (var line in script.Lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(line, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client hung up; Aborted is already signalled
        }
    }

    private JsonObject Update(SortedDictionary<string, JsonObject> collection, JsonObject current, Route route, JsonObject next)
    {
        var specChanged = !JsonNode.DeepEquals(current["spec"], next["spec"]);
        next["metadata"]!["uid"] = current["metadata"]!["uid"]?.DeepClone();
        next["metadata"]!["creationTimestamp"] = current["metadata"]!["creationTimestamp"]?.DeepClone();
        next["metadata"]!["generation"] = long.Parse(current["metadata"]!["generation"]!.ToJsonString(), CultureInfo.InvariantCulture) + (specChanged && route.Subresource is null ? 1 : 0);
        collection[route.Name!] = Stamp(next, route.Namespace, created: false);
        return collection[route.Name!].DeepClone().AsObject();
    }

    /// <summary>The status subresource changes only status.</summary>
    private static JsonObject WithStatus(JsonObject current, JsonObject submitted)
    {
        var next = current.DeepClone().AsObject();
        next["status"] = submitted["status"]?.DeepClone();
        return next;
    }

    /// <summary>The main resource ignores status changes when the kind has a status subresource.</summary>
    private static JsonObject WithoutStatus(JsonObject current, JsonObject submitted)
    {
        var next = submitted.DeepClone().AsObject();
        next["status"] = current["status"]?.DeepClone();
        if (next["status"] is null)
        {
            next.Remove("status");
        }

        return next;
    }

    private static bool MatchesLabels(JsonObject value, string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return true;
        }

        var labels = value["metadata"]?["labels"] as JsonObject;
        return selector.Split(',').All(requirement => requirement.Split("=") switch
        {
            [var key, var wanted] when !key.EndsWith('!') => (string?)labels?[key] == wanted,
            [var key, var unwanted] => (string?)labels?[key.TrimEnd('!')] != unwanted,
            [var key] when key.StartsWith('!') => labels?[key[1..]] is null,
            [var key] => labels?[key] is not null,
            _ => false,
        });
    }
}
