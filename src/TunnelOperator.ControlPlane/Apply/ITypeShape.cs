using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>How a list's items are identified (structured-merge-diff schema.ElementRelationship and keys).</summary>
public enum ListType
{
    /// <summary>The list is one value, replaced and owned whole.</summary>
    Atomic,

    /// <summary>Items are scalars identified by their value.</summary>
    Set,

    /// <summary>Items are objects identified by their key fields.</summary>
    Map,
}

/// <summary>
/// What server-side apply needs to know about one node of an object's type: for objects, which keys are
/// declared struct fields (they are not owned on their own) and whether the object is atomic; for lists, the
/// list type and keys. Built by <see cref="TypeShapes"/> from a CRD's structural schema or from built-in patch
/// metadata; a node without a type is "deduced" as upstream deduces schemaless values (maps granular, lists atomic).
/// </summary>
public interface ITypeShape
{
    /// <summary>x-kubernetes-map-type: atomic (also +structType=atomic).</summary>
    bool IsAtomicMap { get; }

    ListType ListType { get; }

    /// <summary>The key fields of a map list (x-kubernetes-list-map-keys / +listMapKey), in declaration order.</summary>
    IReadOnlyList<string> ListMapKeys { get; }

    /// <summary>The shape of the list's items.</summary>
    ITypeShape Items { get; }

    /// <summary>True when <paramref name="name"/> is a declared field of this struct (not a map entry).</summary>
    bool IsNamedField(string name);

    /// <summary>The shape of member <paramref name="name"/>.</summary>
    ITypeShape Field(string name);

    /// <summary>The default of a list-map key field that an item may omit (e.g. protocol: TCP), or null.</summary>
    JsonNode? KeyDefault(string key);
}
