namespace TunnelOperator.ControlPlane.Patching;

/// <summary>A struct's patch metadata as a table of field name to tags. Fields not listed have no tags.</summary>
internal sealed class PatchMeta(IReadOnlyDictionary<string, PatchFieldMeta> fields) : IPatchMeta
{
    public static readonly PatchMeta Empty = new(new Dictionary<string, PatchFieldMeta>());

    public IReadOnlyDictionary<string, PatchFieldMeta> Fields => fields;

    public PatchFieldMeta? Field(string name) => fields.TryGetValue(name, out var f) ? f : null;
}
