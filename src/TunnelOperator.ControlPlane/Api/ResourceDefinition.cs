using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>Where a <c>/scale</c> subresource reads and writes replicas (CRD <c>subresources.scale</c>, or apps/v1 Deployment).</summary>
internal sealed record ScaleSpec(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

/// <summary>
/// One served resource of one group version: what discovery advertises and how the verbs treat it.
/// Built-ins are declared in <c>Builtins/</c>; custom resources are derived from an Established CRD.
/// </summary>
internal sealed record ResourceDefinition
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>Plural, lower case: the URL segment.</summary>
    public required string Resource { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public string ListKind => Kind + "List";

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool HasStatus { get; init; }

    public ScaleSpec? Scale { get; init; }

    /// <summary>Whether the server owns <c>metadata.generation</c> for it (kinds with a spec).</summary>
    public bool TracksGeneration { get; init; }

    public bool IsCustom { get; init; }

    /// <summary>Verbs as discovery lists them.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;

    /// <summary>Per-kind behaviour: defaulting, validation, server-set fields.</summary>
    public ResourceStrategy Strategy { get; init; } = ResourceStrategy.Generic;

    /// <summary>For custom resources: the CRD's additionalPrinterColumns of this version.</summary>
    public JsonArray? PrinterColumns { get; init; }

    public static readonly IReadOnlyList<string> StandardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public GroupResource GroupResource => new(Group, Resource);

    public GroupKind GroupKind => new(Group, Kind);

    /// <summary>Storage key: objects of a resource are stored once, whatever version reads them.</summary>
    public ResourceKey Key => new(Group, Resource);
}

/// <summary>Identifies a resource's objects in storage, independent of version.</summary>
internal readonly record struct ResourceKey(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
