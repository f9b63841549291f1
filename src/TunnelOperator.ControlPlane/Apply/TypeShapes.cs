using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Patching;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Apply;

/// <summary>
/// Type shapes for server-side apply. From a CRD schema the way apiextensions builds its managedFields type
/// converter (k8s.io/apimachinery/pkg/util/managedfields, schemaconv): properties are struct fields,
/// additionalProperties map entries, lists atomic unless x-kubernetes-list-type says otherwise,
/// x-kubernetes-preserve-unknown-fields deduced; the root's and embedded resources' metadata is ObjectMeta.
/// From built-in patch metadata using the +listType/+listMapKey/+mapType markers, or, without them,
/// patchStrategy merge (map by patchMergeKey, or set) as schemaconv does.
/// </summary>
public static class TypeShapes
{
    /// <summary>A shape for values with no type information.</summary>
    public static ITypeShape Deduced { get; } = new DeducedShape();

    /// <summary>The shape of a custom resource whose version has this schema.</summary>
    public static ITypeShape For(StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema, isResource: true);
    }

    /// <summary>The shape of a built-in kind (see <see cref="BuiltinPatchMeta"/>).</summary>
    public static ITypeShape For(IPatchMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return new MetaShape(meta, null, new PatchFieldMeta());
    }

    private static readonly ITypeShape ObjectMeta = new MetaShape(BuiltinPatchMeta.ObjectMeta, null, new PatchFieldMeta());

    private sealed class DeducedShape : ITypeShape
    {
        public bool IsAtomicMap => false;

        public ListType ListType => ListType.Atomic;

        public IReadOnlyList<string> ListMapKeys => [];

        public ITypeShape Items => this;

        public bool IsNamedField(string name) => false;

        public ITypeShape Field(string name) => this;

        public JsonNode? KeyDefault(string key) => null;
    }

    private sealed class SchemaShape(StructuralSchema schema, bool isResource) : ITypeShape
    {
        public bool IsAtomicMap => schema.XMapType == "atomic";

        public ListType ListType => schema.XListType switch
        {
            "set" => ListType.Set,
            "map" => ListType.Map,
            _ => ListType.Atomic,
        };

        public IReadOnlyList<string> ListMapKeys => schema.XListMapKeys;

        public ITypeShape Items => schema.Items is { } items ? new SchemaShape(items, items.XEmbeddedResource) : Deduced;

        public bool IsNamedField(string name) =>
            schema.Properties.ContainsKey(name) || isResource && name is "apiVersion" or "kind" or "metadata";

        public ITypeShape Field(string name)
        {
            if (isResource && name == "metadata")
            {
                return ObjectMeta;
            }

            if (schema.Properties.TryGetValue(name, out var property))
            {
                return new SchemaShape(property, property.XEmbeddedResource);
            }

            return schema.AdditionalProperties is { } additional ? new SchemaShape(additional, additional.XEmbeddedResource) : Deduced;
        }

        public JsonNode? KeyDefault(string key) =>
            schema.Items?.Properties.TryGetValue(key, out var k) == true && k.HasDefault ? k.Default : null;
    }

    // Built-in types are Go structs: every key of an object is a struct field unless the tags mark the field as
    // a map; fields the tags do not mention are structs (or scalars) too.
    private sealed class MetaShape(IPatchMeta? meta, PatchFieldMeta? elementOf, PatchFieldMeta tags) : ITypeShape
    {
        public bool IsAtomicMap => tags.MapType == "atomic";

        public ListType ListType => tags.ListType switch
        {
            "atomic" => ListType.Atomic,
            "set" => ListType.Set,
            "map" => ListType.Map,
            _ when tags.Merges => tags.MergeKey is null ? ListType.Set : ListType.Map,
            _ => ListType.Atomic,
        };

        public IReadOnlyList<string> ListMapKeys => tags.ListMapKeys ?? (tags.MergeKey is { } key ? [key] : []);

        // A list's items are structs described by the field's Type.
        public ITypeShape Items => new MetaShape(tags.Type, tags, new PatchFieldMeta());

        public bool IsNamedField(string name) => !tags.IsMap;

        public ITypeShape Field(string name) =>
            tags.IsMap ? Deduced : new MetaShape(meta?.Field(name)?.Type, null, meta?.Field(name) ?? new PatchFieldMeta());

        // Protocol keys of ports default to TCP in the OpenAPI of core/v1 (ContainerPort, ServicePort).
        public JsonNode? KeyDefault(string key) => key == "protocol" ? JsonValue.Create("TCP") : null;

        public override string ToString() => elementOf is null ? "struct" : "item";
    }
}
