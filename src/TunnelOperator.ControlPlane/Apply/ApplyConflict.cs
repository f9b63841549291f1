namespace TunnelOperator.ControlPlane.Apply;

/// <summary>
/// A field another manager owns that an apply would change (structured-merge-diff merge.Conflict).
/// <see cref="Field"/> is the field path as upstream prints it (<c>.spec.replicas</c>,
/// <c>.spec.containers[name="web"].image</c>). The other properties describe the manager's managedFields entry,
/// for the conflict message (<see cref="ServerSideApply.ConflictMessage"/>).
/// </summary>
public sealed record ApplyConflict(string Manager, string Field)
{
    public string Operation { get; init; } = "Update";

    public string? ApiVersion { get; init; }

    public string? Subresource { get; init; }

    /// <summary>The entry's time as stored (RFC 3339), if any.</summary>
    public string? Time { get; init; }

    /// <summary>printManager in fieldmanager/internal/conflict.go: <c>"kubectl" using apps/v1 at 2026-…Z</c>.</summary>
    public string DescribeManager()
    {
        var text = Schema.GoText.Quote(Manager);
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += $" with subresource {Schema.GoText.Quote(Subresource)}";
        }

        if (Operation == "Update")
        {
            text += Time is null ? $" using {ApiVersion}" : $" using {ApiVersion} at {Time}";
        }

        return text;
    }
}
