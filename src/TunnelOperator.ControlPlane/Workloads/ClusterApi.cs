using System.Text.Json;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Storage;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads;

/// <summary>
/// The workload runner's access to the API: reads from the store's in-memory state (what a controller's
/// informer cache would hold, always current here), writes through <see cref="ResourceService"/> (the same
/// verbs, validation, status subresource and managedFields as HTTP requests, with the Kubernetes
/// components' field managers). Failures are values (<see cref="WriteOutcome.Error"/>).
/// </summary>
internal sealed class ClusterApi
{
    private readonly ResourceService _service;

    public ClusterApi(ResourceService service)
    {
        _service = service;
        Pods = Find("", "pods");
        Deployments = Find("apps", "deployments");
        Services = Find("", "services");
        Endpoints = Find("", "endpoints");
        Events = Find("", "events");
        Secrets = Find("", "secrets");
        ConfigMaps = Find("", "configmaps");
    }

    public ResourceDefinition Pods { get; }

    public ResourceDefinition Deployments { get; }

    public ResourceDefinition Services { get; }

    public ResourceDefinition Endpoints { get; }

    public ResourceDefinition Events { get; }

    public ResourceDefinition Secrets { get; }

    public ResourceDefinition ConfigMaps { get; }

    public ObjectStore Store => _service.Store;

    private ResourceDefinition Find(string group, string resource) =>
        _service.Registry.FindByKey(new ResourceKey(group, resource)) ?? throw new InvalidOperationException($"{resource} is not served");

    /// <summary>The stored objects, shared: never change them.</summary>
    public IReadOnlyList<JsonObject> List(ResourceDefinition def, string? ns = null) => _service.Store.List(def.Key, ns).Items;

    /// <summary>The stored object, shared: never change it.</summary>
    public JsonObject? Get(ResourceDefinition def, string ns, string name) => _service.Store.Get(def.Key, def.Namespaced ? ns : "", name);

    public Task<WriteOutcome> CreateAsync(ResourceDefinition def, string ns, JsonObject obj, string manager, CancellationToken ct) =>
        _service.CreateAsync(def, ns, obj, new WriteOptions { FieldManager = manager }, ct);

    public Task<WriteOutcome> ModifyAsync(ResourceDefinition def, string ns, string name, Action<JsonObject> change, string manager, CancellationToken ct) =>
        _service.ModifyAsync(def, ns, name, change, manager, ct);

    public Task<WriteOutcome> ModifyStatusAsync(ResourceDefinition def, string ns, string name, string? uid, Action<JsonObject> change, string manager, CancellationToken ct) =>
        _service.ModifyStatusAsync(def, ns, name, uid, change, manager, ct);

    public Task<WriteOutcome> DeleteAsync(ResourceDefinition def, string ns, string name, string? uid, long? gracePeriodSeconds, CancellationToken ct) =>
        _service.DeleteAsync(def, ns, name, new DeleteOptions { PreconditionUid = uid, GracePeriodSeconds = gracePeriodSeconds }, ct);

    public Task<WriteOutcome> BindAsync(string ns, string name, string uid, string node, string manager, CancellationToken ct) =>
        _service.BindAsync(Pods, ns, name, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = uid },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
        }, manager, ct);

    /// <summary>The Pod as the Kubernetes client's model, for reading its spec.</summary>
    public static Pod ToPod(JsonObject pod) => pod.Deserialize(Pod.JsonType) ?? throw new JsonException("pod is null");
}
