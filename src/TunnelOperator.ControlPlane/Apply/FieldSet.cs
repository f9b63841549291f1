namespace TunnelOperator.ControlPlane.Apply;

/// <summary>
/// A set of field paths, the unit of ownership in server-side apply (structured-merge-diff fieldpath.Set): at
/// each level, the path elements that are members, and the child sets below path elements. A path can be a
/// member and have children at once (a list item owned as a whole and field by field). Immutable.
/// </summary>
public sealed partial class FieldSet
{
    private readonly SortedSet<PathElement> _members;
    private readonly SortedDictionary<PathElement, FieldSet> _children;

    internal FieldSet()
        : this(new SortedSet<PathElement>(), new SortedDictionary<PathElement, FieldSet>())
    {
    }

    private FieldSet(SortedSet<PathElement> members, SortedDictionary<PathElement, FieldSet> children)
    {
        _members = members;
        _children = children;
    }

    public static FieldSet Empty { get; } = new();

    public bool IsEmpty => _members.Count == 0 && _children.Count == 0;

    internal IReadOnlyCollection<PathElement> Members => _members;

    internal IReadOnlyDictionary<PathElement, FieldSet> Children => _children;

    public FieldSet Union(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var members = new SortedSet<PathElement>(_members);
        members.UnionWith(other._members);
        var children = new SortedDictionary<PathElement, FieldSet>(_children);
        foreach (var (pe, set) in other._children)
        {
            children[pe] = children.TryGetValue(pe, out var mine) ? mine.Union(set) : set;
        }

        return new FieldSet(members, children);
    }

    public FieldSet Intersection(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var members = new SortedSet<PathElement>(_members);
        members.IntersectWith(other._members);
        var children = new SortedDictionary<PathElement, FieldSet>();
        foreach (var (pe, set) in _children)
        {
            if (other._children.TryGetValue(pe, out var theirs) && set.Intersection(theirs) is { IsEmpty: false } both)
            {
                children[pe] = both;
            }
        }

        return new FieldSet(members, children);
    }

    /// <summary>Members of this set not in <paramref name="other"/>; a removed member keeps its children (fieldpath.Set.Difference).</summary>
    public FieldSet Difference(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var members = new SortedSet<PathElement>(_members);
        members.ExceptWith(other._members);
        var children = new SortedDictionary<PathElement, FieldSet>();
        foreach (var (pe, set) in _children)
        {
            if (!other._children.TryGetValue(pe, out var theirs))
            {
                children[pe] = set;
            }
            else if (set.Difference(theirs) is { IsEmpty: false } rest)
            {
                children[pe] = rest;
            }
        }

        return new FieldSet(members, children);
    }

    /// <summary>
    /// Members of this set that are not in <paramref name="other"/> and not below a member of it: the whole
    /// subtree of every member of <paramref name="other"/> goes (fieldpath.Set.RecursiveDifference).
    /// </summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var members = new SortedSet<PathElement>(_members);
        members.ExceptWith(other._members);
        var children = new SortedDictionary<PathElement, FieldSet>();
        foreach (var (pe, set) in _children)
        {
            if (other._members.Contains(pe))
            {
                continue;
            }

            if (!other._children.TryGetValue(pe, out var theirs))
            {
                children[pe] = set;
            }
            else if (set.RecursiveDifference(theirs) is { IsEmpty: false } rest)
            {
                children[pe] = rest;
            }
        }

        return new FieldSet(members, children);
    }

    /// <summary>Every member path as fieldpath prints it (<c>.spec.replicas</c>, <c>.spec.ports[port=80,protocol="TCP"]</c>), members of a level before its children.</summary>
    public IReadOnlyList<string> Paths()
    {
        var result = new List<string>();
        Iterate("", (p, _) => result.Add(p));
        return result;
    }

    public override string ToString() => string.Join("\n", Paths());

    internal void Iterate(string prefix, Action<string, IReadOnlyList<PathElement>> visit) => Iterate(prefix, [], visit);

    private void Iterate(string prefix, List<PathElement> path, Action<string, IReadOnlyList<PathElement>> visit)
    {
        foreach (var pe in _members)
        {
            path.Add(pe);
            visit(prefix + pe, path.ToList());
            path.RemoveAt(path.Count - 1);
        }

        foreach (var (pe, set) in _children)
        {
            path.Add(pe);
            set.Iterate(prefix + pe, path, visit);
            path.RemoveAt(path.Count - 1);
        }
    }

    internal bool Has(IReadOnlyList<PathElement> path)
    {
        var set = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (!set._children.TryGetValue(path[i], out set!))
            {
                return false;
            }
        }

        return path.Count > 0 && set._members.Contains(path[^1]);
    }

    internal FieldSet WithPrefix(PathElement pe) => _children.TryGetValue(pe, out var set) ? set : Empty;

    internal bool HasMember(PathElement pe) => _members.Contains(pe);

    /// <summary>A builder-style insertion used while walking values; only on sets that are not shared yet.</summary>
    internal void Insert(IReadOnlyList<PathElement> path)
    {
        var set = this;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (!set._children.TryGetValue(path[i], out var child))
            {
                child = new FieldSet();
                set._children[path[i]] = child;
            }

            set = child;
        }

        if (path.Count > 0)
        {
            set._members.Add(path[^1]);
        }
    }

    internal static FieldSet FromPaths(IEnumerable<IReadOnlyList<PathElement>> paths)
    {
        var set = new FieldSet();
        foreach (var p in paths)
        {
            set.Insert(p);
        }

        return set;
    }

    /// <summary>A set built from members and children, dropping empty children.</summary>
    internal static FieldSet Create(IEnumerable<PathElement> members, IEnumerable<KeyValuePair<PathElement, FieldSet>> children)
    {
        var set = new FieldSet();
        set._members.UnionWith(members);
        foreach (var (pe, child) in children)
        {
            if (!child.IsEmpty)
            {
                set._children[pe] = child;
            }
        }

        return set;
    }
}
