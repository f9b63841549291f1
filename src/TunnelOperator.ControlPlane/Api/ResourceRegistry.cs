namespace TunnelOperator.ControlPlane.Api;

/// <summary>
/// The resources being served: the built-ins, fixed at start, and the resources of Established CRDs,
/// added and removed as CRDs come and go. Lookups are lock-free over an immutable snapshot.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly object _lock = new();
    private Snapshot _snapshot = new([], new Dictionary<(string, string, string), ResourceDefinition>());
    private readonly Dictionary<string, IReadOnlyList<ResourceDefinition>> _byOwner = [];

    private sealed record Snapshot(IReadOnlyList<ResourceDefinition> All, IReadOnlyDictionary<(string Group, string Version, string Resource), ResourceDefinition> Index);

    /// <summary>Every served resource, built-ins first, in registration order.</summary>
    public IReadOnlyList<ResourceDefinition> All => _snapshot.All;

    public ResourceDefinition? Find(string group, string version, string resource) =>
        _snapshot.Index.TryGetValue((group, version, resource), out var def) ? def : null;

    /// <summary>The definition that stores a kind (any served version), for owner references and GC.</summary>
    public ResourceDefinition? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return All.FirstOrDefault(d => d.Group == group && d.Version == version && d.Kind == kind)
            ?? All.FirstOrDefault(d => d.Group == group && d.Kind == kind);
    }

    public ResourceDefinition? FindByKey(ResourceKey key) => All.FirstOrDefault(d => d.Key == key);

    /// <summary>Replaces the resources an owner (a CRD's name, or "builtin") serves.</summary>
    public void Set(string owner, IReadOnlyList<ResourceDefinition> definitions)
    {
        lock (_lock)
        {
            if (definitions.Count == 0)
            {
                _byOwner.Remove(owner);
            }
            else
            {
                _byOwner[owner] = definitions;
            }

            var all = _byOwner.OrderBy(kv => kv.Key == "builtin" ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value).ToList();
            var index = new Dictionary<(string, string, string), ResourceDefinition>();
            foreach (var d in all)
            {
                index.TryAdd((d.Group, d.Version, d.Resource), d);
            }

            _snapshot = new Snapshot(all, index);
        }
    }

    public IReadOnlyList<ResourceDefinition> Owned(string owner)
    {
        lock (_lock)
        {
            return _byOwner.TryGetValue(owner, out var defs) ? defs : [];
        }
    }
}
