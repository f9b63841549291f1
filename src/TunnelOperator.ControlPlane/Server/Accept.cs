namespace TunnelOperator.ControlPlane.Server;

internal enum OutputKind
{
    Object,
    Table,
    PartialObjectMetadata,
}

/// <summary>
/// Content negotiation over the Accept header, as kube-apiserver's negotiation does for JSON clients:
/// the first acceptable entry wins; <c>as=Table;v=v1;g=meta.k8s.io</c> asks for a Table (kubectl get),
/// <c>as=PartialObjectMetadata(List)</c> for metadata only. Protobuf is not spoken; a client that offers
/// nothing else gets 406 Not Acceptable.
/// </summary>
internal readonly record struct Accept(OutputKind Kind, bool Acceptable)
{
    public static Accept Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return new Accept(OutputKind.Object, true);
        }

        foreach (var raw in header.Split(','))
        {
            var parts = raw.Split(';', StringSplitOptions.TrimEntries);
            var media = parts[0].ToLowerInvariant();
            if (media is not ("application/json" or "*/*" or "application/*" or "application/yaml"))
            {
                continue;
            }

            var p = parts.Skip(1).Select(x => x.Split('=', 2)).Where(x => x.Length == 2).ToDictionary(x => x[0].Trim(), x => x[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (!p.TryGetValue("as", out var asKind))
            {
                return new Accept(OutputKind.Object, true);
            }

            var metaGroup = p.TryGetValue("g", out var g) && g == "meta.k8s.io";
            var version = p.TryGetValue("v", out var v) ? v : "";
            if (metaGroup && asKind == "Table" && version is "v1" or "v1beta1")
            {
                return new Accept(OutputKind.Table, true);
            }

            if (metaGroup && asKind is "PartialObjectMetadata" or "PartialObjectMetadataList" && version is "v1" or "v1beta1")
            {
                return new Accept(OutputKind.PartialObjectMetadata, true);
            }
        }

        return new Accept(OutputKind.Object, false);
    }
}
