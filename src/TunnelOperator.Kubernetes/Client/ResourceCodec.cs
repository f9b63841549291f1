using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// What the shared verb code needs to know about an object representation: its JSON contracts,
/// where its name and namespace are, how to stamp apiVersion/kind, how to page a list.
/// </summary>
internal abstract class ResourceCodec<TObject, TList>
    where TObject : class
    where TList : class
{
    public abstract JsonTypeInfo<TObject> ObjectType { get; }

    public abstract JsonTypeInfo<TList> ListType { get; }

    public abstract (string? Namespace, string? Name) Identify(TObject value);

    /// <summary>The object with apiVersion and kind set: server-side apply requires them in the body.</summary>
    public abstract TObject WithTypeMeta(TObject value);

    public abstract IReadOnlyList<TObject> Items(TList list);

    /// <summary>The list as callers see it; the typed codec stamps each item with its type.</summary>
    public virtual TList Normalize(TList list) => list;

    public abstract string? Continue(TList list);

    public TObject Decode(JsonElement element) =>
        element.Deserialize(ObjectType) ?? throw new InvalidDataException("the server sent a null object");
}

/// <summary>A compile-time kind: its own source-generated contracts.</summary>
internal sealed class TypedCodec<T> : ResourceCodec<T, KubernetesList<T>>
    where T : KubernetesObject, IKubernetesEntity<T>
{
    public static TypedCodec<T> Instance { get; } = new();

    public override JsonTypeInfo<T> ObjectType => T.JsonType;

    public override JsonTypeInfo<KubernetesList<T>> ListType => T.ListJsonType;

    public override (string? Namespace, string? Name) Identify(T value) => (value.Metadata.Namespace, value.Metadata.Name);

    public override T WithTypeMeta(T value) =>
        value.ApiVersion is not null && value.Kind is not null
            ? value
            // 'with' on the base record clones through the virtual clone method, so the copy is still a T.
            : (T)((KubernetesObject)value with { ApiVersion = value.ApiVersion ?? T.Resource.ApiVersion, Kind = value.Kind ?? T.Resource.Kind });

    public override IReadOnlyList<T> Items(KubernetesList<T> list) => list.Items;

    /// <summary>
    /// List items of built-in kinds carry no apiVersion/kind on the wire (API conventions,
    /// "Lists"), and deserialization does not keep the models' constructor defaults for them.
    /// </summary>
    public override KubernetesList<T> Normalize(KubernetesList<T> list) =>
        list.Items.All(i => i.ApiVersion is not null && i.Kind is not null)
            ? list
            : list with { Items = list.Items.Select(WithTypeMeta).ToList() };

    public override string? Continue(KubernetesList<T> list) => list.Metadata.Continue;
}

/// <summary>Any kind, as JSON: for kinds unknown at compile time (custom resources of other operators, tests).</summary>
internal sealed class DynamicCodec(ResourceType resource) : ResourceCodec<JsonObject, JsonObject>
{
    public override JsonTypeInfo<JsonObject> ObjectType => KubernetesJsonContext.Default.JsonObject;

    public override JsonTypeInfo<JsonObject> ListType => KubernetesJsonContext.Default.JsonObject;

    public override (string? Namespace, string? Name) Identify(JsonObject value) =>
        (Text(value["metadata"]?["namespace"]), Text(value["metadata"]?["name"]));

    public override JsonObject WithTypeMeta(JsonObject value)
    {
        if (value["apiVersion"] is not null && value["kind"] is not null)
        {
            return value;
        }

        var copy = value.DeepClone().AsObject(); // never change the caller's object
        copy["apiVersion"] ??= resource.ApiVersion;
        if (resource.Kind.Length > 0)
        {
            copy["kind"] ??= resource.Kind;
        }

        return copy;
    }

    public override IReadOnlyList<JsonObject> Items(JsonObject list)
    {
        if (list["items"] is not JsonArray array)
        {
            return [];
        }

        var items = array.OfType<JsonObject>().ToList();
        array.Clear(); // detach, so each item can stand alone
        foreach (var item in items)
        {
            // List items of built-in kinds carry no apiVersion/kind on the wire (API conventions, "Lists").
            item["apiVersion"] ??= resource.ApiVersion;
            if (resource.Kind.Length > 0)
            {
                item["kind"] ??= resource.Kind;
            }
        }

        return items;
    }

    public override string? Continue(JsonObject list) => Text(list["metadata"]?["continue"]);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
