namespace TunnelOperator.ControlPlane.Patching;

/// <summary>
/// Patch metadata of one struct type, the equivalent of the Go struct tags strategic merge patch reads
/// (k8s.io/apimachinery/pkg/util/strategicpatch LookupPatchMeta): per field, the patch strategy and merge key,
/// and the element type to descend into. Server-side apply reads the list/map types from it as well.
/// </summary>
public interface IPatchMeta
{
    /// <summary>The metadata of field <paramref name="name"/>; null when the field has no special handling.</summary>
    PatchFieldMeta? Field(string name);
}

/// <summary>
/// One field's tags. <see cref="Strategy"/> is the patchStrategy tag ("merge", "replace", "retainKeys",
/// "merge,retainKeys" or null); <see cref="MergeKey"/> the patchMergeKey; <see cref="ListType"/>,
/// <see cref="ListMapKeys"/> and <see cref="MapType"/> the +listType/+listMapKey/+mapType markers used by
/// server-side apply; <see cref="Type"/> the metadata of the field's struct (or of the list's element struct).
/// </summary>
public sealed record PatchFieldMeta(
    string? Strategy = null,
    string? MergeKey = null,
    IPatchMeta? Type = null,
    string? ListType = null,
    IReadOnlyList<string>? ListMapKeys = null,
    string? MapType = null)
{
    /// <summary>
    /// True when the field is a Go map (map[string]T: labels, data, nodeSelector) rather than a struct. Server-side
    /// apply owns map entries one by one; struct fields count only through what they contain.
    /// </summary>
    public bool IsMap { get; init; }

    /// <summary>True when lists of this field merge (patchStrategy contains "merge").</summary>
    public bool Merges => Strategy is not null && Strategy.Split(',').Contains("merge");

    /// <summary>True when maps of this field are replaced whole (patchStrategy "replace").</summary>
    public bool Replaces => Strategy is not null && Strategy.Split(',').Contains("replace");
}
