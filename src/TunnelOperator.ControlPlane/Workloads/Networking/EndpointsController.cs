using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// The endpoints controller: keeps the core/v1 Endpoints of every Service with a selector equal to
/// <see cref="EndpointsBuilder.Subsets"/> over the namespace's Pods (written only when different), and
/// deletes them with their Service. The <c>kubernetes</c> Service's Endpoints name the API server itself,
/// as kube-apiserver's endpoint reconciler keeps them.
/// </summary>
internal sealed class EndpointsController
{
    private const string Manager = "kube-controller-manager";
    private readonly ClusterApi _api;

    public EndpointsController(ClusterApi api, TimeProvider time, Microsoft.Extensions.Logging.ILogger logger)
    {
        _api = api;
        Queue = new KeyQueue("endpoints", time, logger);
    }

    public KeyQueue Queue { get; }

    /// <summary>Every Service of a namespace: a Pod there changed.</summary>
    public void PodChanged(string ns)
    {
        foreach (var service in _api.List(_api.Services, ns))
        {
            Queue.Add($"{ns}/{Meta.Name(service)}");
        }
    }

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken ct)
    {
        var (ns, name) = KeyQueue.Split(key);
        var service = _api.Get(_api.Services, ns, name);
        var existing = _api.Get(_api.Endpoints, ns, name);
        if (service is null || Meta.IsDeleting(service))
        {
            if (existing is not null && service is null)
            {
                await _api.DeleteAsync(_api.Endpoints, ns, name, Meta.Uid(existing), null, ct);
            }

            return null;
        }

        if (EndpointsBuilder.Subsets(service, _api.List(_api.Pods, ns)) is not { } subsets)
        {
            return null;
        }

        await WriteAsync(ns, name, Meta.Labels(service), subsets, ct);
        return null;
    }

    /// <summary>The kubernetes Service in default points at the API server's own address.</summary>
    public Task WriteApiServerAsync(Uri apiServer, CancellationToken ct) =>
        WriteAsync("default", "kubernetes", new Dictionary<string, string>(StringComparer.Ordinal), new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = apiServer.Host }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = apiServer.Port, ["protocol"] = "TCP" }),
        }), ct);

    private async Task WriteAsync(string ns, string name, IReadOnlyDictionary<string, string> labels, JsonArray subsets, CancellationToken ct)
    {
        var labelObject = new JsonObject([.. labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        var existing = _api.Get(_api.Endpoints, ns, name);
        if (existing is null)
        {
            var endpoints = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Endpoints",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labelObject },
            };
            if (subsets.Count > 0)
            {
                endpoints["subsets"] = subsets;
            }

            await _api.CreateAsync(_api.Endpoints, ns, endpoints, Manager, ct);
            return;
        }

        var same = JsonNode.DeepEquals(existing["subsets"] ?? new JsonArray(), subsets)
            && JsonNode.DeepEquals(existing["metadata"]?["labels"] ?? new JsonObject(), labelObject);
        if (!same)
        {
            await _api.ModifyAsync(_api.Endpoints, ns, name, e =>
            {
                if (subsets.Count > 0)
                {
                    e["subsets"] = subsets.DeepClone();
                }
                else
                {
                    e.Remove("subsets");
                }

                if (labelObject.Count > 0)
                {
                    Meta.Metadata(e)["labels"] = labelObject.DeepClone();
                }
                else
                {
                    Meta.Metadata(e).Remove("labels");
                }
            }, Manager, ct);
        }
    }
}
