using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// Cluster DNS as a hosts(5) file (<c>&lt;data-dir&gt;/hosts</c>, given to every container as
/// <c>TUNNELOP_HOSTS_FILE</c>): local processes cannot resolve <c>*.svc</c> names, so a dialer of the
/// suite may look names up here. One line per Service with a clusterIP
/// (<c>ip name.ns.svc.cluster.local name.ns.svc name.ns</c>), one per ready endpoint of a headless
/// Service. Rewritten (atomically, only when different) as Services and Endpoints change.
/// </summary>
internal sealed class HostsFile
{
    private readonly ClusterApi _api;
    private readonly string _path;
    private readonly AsyncSignal _changed = new();

    public HostsFile(ClusterApi api, string path)
    {
        _api = api;
        _path = path;
    }

    public void Changed() => _changed.Set();

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await _changed.WaitAsync(ct);
                Write();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public static string Render(IEnumerable<JsonObject> services, Func<string, string, JsonObject?> endpoints)
    {
        var text = new StringBuilder("# Services of the local control plane: clusterIPs for names pods cannot resolve (TUNNELOP_HOSTS_FILE).\n");
        foreach (var service in services.OrderBy(s => Meta.Namespace(s), StringComparer.Ordinal).ThenBy(s => Meta.Name(s), StringComparer.Ordinal))
        {
            var ns = Meta.Namespace(service);
            var name = Meta.Name(service);
            var names = $"{name}.{ns}.svc.cluster.local {name}.{ns}.svc {name}.{ns}";
            var ip = Meta.Str(service["spec"]?["clusterIP"]);
            if (ip is { Length: > 0 } and not "None")
            {
                text.Append(ip).Append(' ').Append(names).Append('\n');
            }
            else if (ip == "None")
            {
                var addresses = (endpoints(ns, name)?["subsets"] as JsonArray ?? []).OfType<JsonObject>()
                    .SelectMany(s => (s["addresses"] as JsonArray ?? []).OfType<JsonObject>())
                    .Select(a => Meta.Str(a["ip"]))
                    .Where(a => a is not null)
                    .Distinct()
                    .Order(StringComparer.Ordinal);
                foreach (var address in addresses)
                {
                    text.Append(address).Append(' ').Append(names).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    public void Write()
    {
        var content = Render(_api.List(_api.Services).Where(s => !Meta.IsDeleting(s)), (ns, name) => _api.Get(_api.Endpoints, ns, name));
        if (File.Exists(_path) && File.ReadAllText(_path) == content)
        {
            return;
        }

        var temp = _path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, _path, overwrite: true);
    }
}
