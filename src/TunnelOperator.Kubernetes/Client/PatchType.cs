namespace TunnelOperator.Kubernetes.Client;

/// <summary>The patch formats the API accepts, each with its own content type.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>): objects merge, lists replace.</summary>
    Merge,

    /// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>): a list of operations, with <c>test</c> for preconditions.</summary>
    Json,

    /// <summary>
    /// Strategic merge patch (<c>application/strategic-merge-patch+json</c>): merge that knows list
    /// merge keys of built-in kinds. Custom resources do not support it (415).
    /// </summary>
    StrategicMerge,
}
