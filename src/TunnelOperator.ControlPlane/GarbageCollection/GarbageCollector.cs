using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Builtins;
using TunnelOperator.ControlPlane.Storage;

namespace TunnelOperator.ControlPlane.GarbageCollection;

/// <summary>
/// The controllers that finish what deletes start, in one level-based loop woken by every committed change:
/// <list type="number">
/// <item>ownerReference garbage collection (kube-controller-manager's garbagecollector): dependents of a
///   gone owner are deleted (background); an owner deleting with the <c>orphan</c> finalizer first has its
///   references removed from dependents; one deleting with <c>foregroundDeletion</c> has its dependents
///   deleted and goes once no dependent with blockOwnerDeletion is left; references to owners that never
///   existed (dangling uids) are collected the same way;</item>
/// <item>namespace deletion (namespace controller): a Terminating namespace's content is deleted, respecting
///   finalizers, then its <c>kubernetes</c> finalizer is cleared and it goes;</item>
/// <item>CRD deletion (apiextensions finalizer controller): its custom resources are deleted, then the
///   <c>customresourcecleanup</c> finalizer is cleared;</item>
/// <item>every Active namespace gets a <c>default</c> ServiceAccount (serviceaccounts controller).</item>
/// </list>
/// Each pass reads the whole store: the local control plane holds hundreds of objects, not millions.
/// </summary>
internal sealed partial class GarbageCollector : IAsyncDisposable
{
    private const string Manager = "kube-controller-manager";
    private const int RestFactor = 9;
    private static readonly TimeSpan MinRest = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxRest = TimeSpan.FromMilliseconds(500);
    private readonly ResourceService _service;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public GarbageCollector(ResourceService service, ILogger logger)
    {
        _service = service;
        _logger = logger;
    }

    public void Start()
    {
        var watcher = _service.Store.Hub.Subscribe(_service.Store.CurrentResourceVersion, _ => true, buffer: 100_000)!;
        _loop = Task.Run(() => RunAsync(watcher, _stop.Token));
    }

    private async Task RunAsync(Watcher watcher, CancellationToken ct)
    {
        using var subscription = watcher;
        try
        {
            await SweepUntilStableAsync(ct);
            while (await watcher.Events.WaitToReadAsync(ct))
            {
                while (watcher.Events.TryRead(out _))
                {
                }

                var started = Stopwatch.GetTimestamp();
                await SweepUntilStableAsync(ct);
                await PauseAsync(Stopwatch.GetElapsedTime(started), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        if (watcher.Overflowed && !ct.IsCancellationRequested)
        {
            Start();
        }
    }

    /// <summary>
    /// A sweep reads the whole store, so under a stream of writes (a thousand objects applied at once) sweeping
    /// after every batch would take a core. After each sweep the loop rests <see cref="RestFactor"/> times as long
    /// as the sweep took (at most <see cref="MaxRest"/>): the collector takes at most a tenth of a core, and changes
    /// that arrive meanwhile are handled together by the next sweep (level-based, so nothing is missed). A store of
    /// a few hundred objects sweeps in well under a millisecond and is not slowed down.
    /// </summary>
    private static async Task PauseAsync(TimeSpan swept, CancellationToken ct)
    {
        var rest = swept * RestFactor;
        if (rest < MinRest)
        {
            return;
        }

        await Task.Delay(rest < MaxRest ? rest : MaxRest, ct);
    }

    private async Task SweepUntilStableAsync(CancellationToken ct)
    {
        for (var pass = 0; pass < 20; pass++)
        {
            try
            {
                if (!await SweepAsync(ct))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SweepFailed(_logger, e);
                return;
            }
        }
    }

    /// <summary>One pass over everything; true when it changed something (another pass may find more).</summary>
    private async Task<bool> SweepAsync(CancellationToken ct)
    {
        var all = _service.Store.All();
        var byUid = new Dictionary<string, (ResourceKey Key, JsonObject Object)>(StringComparer.Ordinal);
        foreach (var entry in all)
        {
            byUid.TryAdd(Meta.Uid(entry.Object), entry);
        }

        var changed = false;
        foreach (var (key, obj) in all)
        {
            var def = _service.Registry.FindByKey(key);
            if (def is null)
            {
                continue;
            }

            if (Meta.IsDeleting(obj))
            {
                changed |= await FinishDeletionAsync(def, obj, all, ct);
            }

            changed |= await CollectIfOrphanedAsync(def, obj, byUid, ct);
        }

        changed |= await EnsureServiceAccountsAsync(all, ct);
        return changed;
    }

    private static IEnumerable<(ResourceKey Key, JsonObject Object)> DependentsOf(JsonObject owner, IReadOnlyList<(ResourceKey Key, JsonObject Object)> all)
    {
        var uid = Meta.Uid(owner);
        return all.Where(e => Meta.OwnerReferences(e.Object).OfType<JsonObject>().Any(r => Meta.Str(r["uid"]) == uid));
    }

    private async Task<bool> FinishDeletionAsync(ResourceDefinition def, JsonObject obj, IReadOnlyList<(ResourceKey Key, JsonObject Object)> all, CancellationToken ct)
    {
        var finalizers = Meta.Finalizers(obj);
        var ns = Meta.Namespace(obj);
        var name = Meta.Name(obj);
        var uid = Meta.Uid(obj);
        if (finalizers.Contains(ResourceService.OrphanFinalizer))
        {
            foreach (var (depKey, dep) in DependentsOf(obj, all).ToList())
            {
                if (_service.Registry.FindByKey(depKey) is { } depDef)
                {
                    await _service.ModifyAsync(depDef, Meta.Namespace(dep), Meta.Name(dep), o => RemoveOwnerRefs(o, r => Meta.Str(r["uid"]) == uid), Manager, ct);
                }
            }

            await _service.ModifyAsync(def, ns, name, o => RemoveFinalizer(o, ResourceService.OrphanFinalizer), Manager, ct);
            return true;
        }

        if (finalizers.Contains(ResourceService.ForegroundFinalizer))
        {
            var dependents = DependentsOf(obj, all).ToList();
            var changed = false;
            foreach (var (depKey, dep) in dependents.Where(d => !Meta.IsDeleting(d.Object)))
            {
                if (_service.Registry.FindByKey(depKey) is { } depDef)
                {
                    await _service.DeleteAsync(depDef, Meta.Namespace(dep), Meta.Name(dep), new DeleteOptions { PropagationPolicy = "Foreground" }, ct);
                    changed = true;
                }
            }

            var blocking = dependents.Any(d => Meta.OwnerReferences(d.Object).OfType<JsonObject>()
                .Any(r => Meta.Str(r["uid"]) == uid && r["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var block) && block));
            if (!blocking)
            {
                await _service.ModifyAsync(def, ns, name, o => RemoveFinalizer(o, ResourceService.ForegroundFinalizer), Manager, ct);
                return true;
            }

            return changed;
        }

        if (def.Key == ResourceService.NamespacesKey)
        {
            return await FinishNamespaceAsync(def, obj, all, ct);
        }

        if (def.Key == CustomResourceDefinitions.Key && finalizers.Contains(CrdStrategy.CleanupFinalizer))
        {
            return await FinishCrdAsync(def, obj, all, ct);
        }

        return false;
    }

    private async Task<bool> FinishNamespaceAsync(ResourceDefinition def, JsonObject ns, IReadOnlyList<(ResourceKey Key, JsonObject Object)> all, CancellationToken ct)
    {
        var name = Meta.Name(ns);
        var content = all.Where(e => e.Key != ResourceService.NamespacesKey && Meta.Namespace(e.Object) == name).ToList();
        var changed = false;
        foreach (var (key, obj) in content.Where(e => !Meta.IsDeleting(e.Object)))
        {
            if (_service.Registry.FindByKey(key) is { Namespaced: true } contentDef)
            {
                await _service.DeleteAsync(contentDef, name, Meta.Name(obj), new DeleteOptions { PropagationPolicy = "Background" }, ct);
                changed = true;
            }
        }

        if (content.Count == 0 && ns["spec"]?["finalizers"] is JsonArray { Count: > 0 })
        {
            var body = new JsonObject { ["spec"] = new JsonObject { ["finalizers"] = new JsonArray() } };
            await _service.FinalizeNamespaceAsync(def, name, body, new WriteOptions { FieldManager = Manager }, ct);
            return true;
        }

        return changed;
    }

    private async Task<bool> FinishCrdAsync(ResourceDefinition def, JsonObject crd, IReadOnlyList<(ResourceKey Key, JsonObject Object)> all, CancellationToken ct)
    {
        var key = new ResourceKey(Meta.Str(crd["spec"]?["group"]) ?? "", Meta.Str(crd["spec"]?["names"]?["plural"]) ?? "");
        var instances = all.Where(e => e.Key == key).ToList();
        var crDef = _service.Registry.FindByKey(key);
        var changed = false;
        if (crDef is not null)
        {
            foreach (var (_, obj) in instances.Where(e => !Meta.IsDeleting(e.Object)))
            {
                await _service.DeleteAsync(crDef, Meta.Namespace(obj), Meta.Name(obj), new DeleteOptions { PropagationPolicy = "Background" }, ct);
                changed = true;
            }
        }

        if (instances.Count == 0 || crDef is null)
        {
            await _service.ModifyAsync(def, "", Meta.Name(crd), o => RemoveFinalizer(o, CrdStrategy.CleanupFinalizer), Manager, ct);
            return true;
        }

        return changed;
    }

    /// <summary>Deletes a dependent whose owners are all gone; drops references to gone owners when some remain.</summary>
    private async Task<bool> CollectIfOrphanedAsync(ResourceDefinition def, JsonObject obj, Dictionary<string, (ResourceKey Key, JsonObject Object)> byUid, CancellationToken ct)
    {
        var refs = Meta.OwnerReferences(obj).OfType<JsonObject>().ToList();
        if (refs.Count == 0)
        {
            return false;
        }

        var dangling = refs.Where(r => !byUid.TryGetValue(Meta.Str(r["uid"]) ?? "", out var owner)
            || Meta.Name(owner.Object) != Meta.Str(r["name"])).Select(r => Meta.Str(r["uid"])).ToHashSet();
        if (dangling.Count == 0)
        {
            return false;
        }

        if (dangling.Count == refs.Count)
        {
            if (Meta.IsDeleting(obj))
            {
                return false;
            }

            var outcome = await _service.DeleteAsync(def, Meta.Namespace(obj), Meta.Name(obj), new DeleteOptions { PropagationPolicy = "Background", PreconditionUid = Meta.Uid(obj) }, ct);
            Log.Collected(_logger, def.GroupResource.ToString(), Meta.Namespace(obj), Meta.Name(obj));
            return outcome.Error is null;
        }

        await _service.ModifyAsync(def, Meta.Namespace(obj), Meta.Name(obj), o => RemoveOwnerRefs(o, r => dangling.Contains(Meta.Str(r["uid"]))), Manager, ct);
        return true;
    }

    private async Task<bool> EnsureServiceAccountsAsync(IReadOnlyList<(ResourceKey Key, JsonObject Object)> all, CancellationToken ct)
    {
        var saDef = _service.Registry.FindByKey(new ResourceKey("", "serviceaccounts"));
        if (saDef is null)
        {
            return false;
        }

        var changed = false;
        foreach (var (_, ns) in all.Where(e => e.Key == ResourceService.NamespacesKey && !Meta.IsDeleting(e.Object)))
        {
            var name = Meta.Name(ns);
            if (!all.Any(e => e.Key == saDef.Key && Meta.Namespace(e.Object) == name && Meta.Name(e.Object) == "default"))
            {
                var sa = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = name } };
                var outcome = await _service.CreateAsync(saDef, name, sa, new WriteOptions { FieldManager = Manager }, ct);
                changed |= outcome.Error is null;
            }
        }

        return changed;
    }

    private static void RemoveOwnerRefs(JsonObject obj, Func<JsonObject, bool> remove)
    {
        var meta = Meta.Metadata(obj);
        if (meta["ownerReferences"] is not JsonArray refs)
        {
            return;
        }

        var kept = refs.OfType<JsonObject>().Where(r => !remove(r)).Select(r => (JsonNode?)r.DeepClone()).ToArray();
        if (kept.Length == 0)
        {
            meta.Remove("ownerReferences");
        }
        else
        {
            meta["ownerReferences"] = new JsonArray(kept);
        }
    }

    private static void RemoveFinalizer(JsonObject obj, string finalizer) =>
        Meta.SetFinalizers(obj, Meta.Finalizers(obj).Where(f => f != finalizer));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Garbage collection pass failed")]
        public static partial void SweepFailed(ILogger logger, Exception e);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Collected {Resource} {Namespace}/{Name}: its owners are gone")]
        public static partial void Collected(ILogger logger, string resource, string @namespace, string name);
    }
}
