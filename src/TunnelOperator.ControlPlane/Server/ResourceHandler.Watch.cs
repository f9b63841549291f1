using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.Server;

internal sealed partial class ResourceHandler
{
    /// <summary>
    /// A watch: a chunked JSON stream of <c>{"type":..., "object":...}</c> lines, each flushed.
    /// <list type="number">
    /// <item>resourceVersion "" or "0" (or sendInitialEvents=true): synthetic ADDED events for the current
    ///   state, then changes; with sendInitialEvents a BOOKMARK annotated <c>k8s.io/initial-events-end</c> in between;</item>
    /// <item>an exact resourceVersion: the changes after it, or one ERROR event carrying 410 Expired when it
    ///   is older than the event log;</item>
    /// <item>allowWatchBookmarks: periodic BOOKMARKs holding only metadata.resourceVersion;</item>
    /// <item>timeoutSeconds (else the server maximum) ends the stream cleanly.</item>
    /// </list>
    /// A change that moves an object into or out of the selectors is sent as ADDED or DELETED (watch cache rules).
    /// </summary>
    private async Task WatchAsync(HttpContext context, ResourceDefinition def, RequestInfo info, Accept accept)
    {
        var (labels, fields, selectorError) = Selectors(context, def, info);
        if (selectorError is not null)
        {
            await Responses.WriteErrorAsync(context, selectorError);
            return;
        }

        var rvParam = Query(context, "resourceVersion") ?? "";
        var rvMatch = Query(context, "resourceVersionMatch") ?? "";
        var sendInitial = Query(context, "sendInitialEvents") is { } si ? RequestDispatcher.IsTrue(si) : (bool?)null;
        var bookmarks = RequestDispatcher.IsTrue(Query(context, "allowWatchBookmarks"));
        if (sendInitial is not null && rvMatch != "NotOlderThan")
        {
            await Responses.WriteErrorAsync(context, ApiError.Invalid(new GroupKind("meta.k8s.io", "ListOptions"), "",
                [Schema.FieldError.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan")]));
            return;
        }

        if (sendInitial is null && rvMatch.Length > 0)
        {
            await Responses.WriteErrorAsync(context, ApiError.Invalid(new GroupKind("meta.k8s.io", "ListOptions"), "",
                [Schema.FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]));
            return;
        }

        if (sendInitial == true && !bookmarks)
        {
            await Responses.WriteErrorAsync(context, ApiError.Invalid(new GroupKind("meta.k8s.io", "ListOptions"), "",
                [Schema.FieldError.Forbidden("allowWatchBookmarks", "allowWatchBookmarks must be set to true when sendInitialEvents is true")]));
            return;
        }

        if (Interlocked.Increment(ref _watchers) > _options.MaxWatchers)
        {
            Interlocked.Decrement(ref _watchers);
            await Responses.WriteErrorAsync(context, ApiError.TooManyRequests("too many watches; please try again later"));
            return;
        }

        try
        {
            await StreamAsync(context, def, info, accept, labels!, fields!, rvParam, sendInitial, bookmarks);
        }
        finally
        {
            Interlocked.Decrement(ref _watchers);
        }
    }

    private async Task StreamAsync(HttpContext context, ResourceDefinition def, RequestInfo info, Accept accept, LabelSelector labels, FieldSelector fields, string rvParam, bool? sendInitial, bool bookmarks)
    {
        var ns = def.Namespaced ? info.Namespace : "";
        bool InScope(StoreEvent e) => e.Key == def.Key && (ns.Length == 0 || e.Namespace == ns);
        bool Selected(JsonObject? o) => o is not null && labels.Matches(Meta.Labels(o)) && fields.Matches(def, o);

        var timeoutSeconds = ParseLong(Query(context, "timeoutSeconds"));
        var duration = timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : _options.MaxWatchDuration;
        using var timeout = new CancellationTokenSource(duration, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        var ct = linked.Token;

        IReadOnlyList<JsonObject> initial = [];
        long lastRv;
        Watcher? watcher;
        var fromCurrent = sendInitial == true || rvParam is "" or "0";
        if (fromCurrent)
        {
            var (items, rv, w) = _service.Store.ListAndWatch(def.Key, def.Namespaced && ns.Length > 0 ? ns : null, InScope);
            initial = [.. items.Where(Selected)];
            lastRv = rv;
            watcher = w;
        }
        else
        {
            lastRv = Meta.ParseResourceVersion(rvParam);
            if (lastRv < 0)
            {
                await Responses.WriteErrorAsync(context, ApiError.BadRequest($"resourceVersion: Invalid value: \"{rvParam}\": must be a valid resource version"));
                return;
            }

            watcher = _service.Store.Hub.Subscribe(lastRv, InScope);
        }

        using var subscription = watcher;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(ct);
        await context.Response.Body.FlushAsync(ct);
        var include = IncludeObjectParam(context);

        if (watcher is null)
        {
            var oldest = _service.Store.Hub.OldestWatchable;
            var error = ApiError.Expired($"too old resource version: {lastRv} ({oldest + 1})");
            await WriteEventAsync(context, "ERROR", error.ToStatus(), ct);
            return;
        }

        try
        {
            foreach (var obj in initial)
            {
                await WriteEventAsync(context, "ADDED", Render(def, _service.ForRead(def, obj), accept, include), ct);
            }

            if (sendInitial == true)
            {
                await WriteEventAsync(context, "BOOKMARK", Bookmark(def, lastRv, initialEventsEnd: true), ct);
            }

            var reader = watcher.Events;
            Task<bool>? waitForEvent = null;
            while (!ct.IsCancellationRequested)
            {
                waitForEvent ??= reader.WaitToReadAsync(ct).AsTask();
                if (bookmarks)
                {
                    using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var delay = Task.Delay(_options.BookmarkInterval, _time, delayCancel.Token);
                    var first = await Task.WhenAny(waitForEvent, delay);
                    if (first == delay)
                    {
                        if (!reader.TryPeek(out _))
                        {
                            await WriteEventAsync(context, "BOOKMARK", Bookmark(def, lastRv, initialEventsEnd: false), ct);
                        }

                        continue;
                    }

                    await delayCancel.CancelAsync();
                }

                var open = await waitForEvent;
                waitForEvent = null;
                if (!open)
                {
                    // Closed: this watcher fell too far behind; the client re-watches from its last resourceVersion.
                    return;
                }

                while (reader.TryRead(out var e))
                {
                    lastRv = e.ResourceVersion;
                    var type = Transition(e, Selected);
                    if (type is null)
                    {
                        continue;
                    }

                    await WriteEventAsync(context, type, Render(def, _service.ForRead(def, e.Object), accept, include), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // timeoutSeconds elapsed or the client left: the stream simply ends.
        }
    }

    /// <summary>What a filtered watch sees of a change: objects entering the selection are ADDED, leaving it DELETED.</summary>
    private static string? Transition(StoreEvent e, Func<JsonObject?, bool> selected)
    {
        switch (e.Type)
        {
            case StoreEventType.Added:
                return selected(e.Object) ? "ADDED" : null;
            case StoreEventType.Deleted:
                return selected(e.Previous ?? e.Object) ? "DELETED" : null;
            default:
                var now = selected(e.Object);
                var before = selected(e.Previous);
                return (now, before) switch
                {
                    (true, true) => "MODIFIED",
                    (true, false) => "ADDED",
                    (false, true) => "DELETED",
                    _ => null,
                };
        }
    }

    private JsonNode Render(ResourceDefinition def, JsonObject obj, Accept accept, string include) => accept.Kind switch
    {
        OutputKind.Table => TableResponses.Table(def, [obj], null, include, _time.GetUtcNow()) ?? (JsonNode)obj,
        OutputKind.PartialObjectMetadata => PartialMetadata(obj),
        _ => obj,
    };

    private static JsonObject Bookmark(ResourceDefinition def, long rv, bool initialEventsEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject { ["kind"] = def.Kind, ["apiVersion"] = def.ApiVersion, ["metadata"] = meta };
    }

    private static async Task WriteEventAsync(HttpContext context, string type, JsonNode obj, CancellationToken ct)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.Parent is null ? obj : obj.DeepClone() };
        var bytes = Responses.Serialize(line);
        await context.Response.Body.WriteAsync(bytes, ct);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
