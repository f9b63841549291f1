namespace TunnelOperator.ControlPlane.Api;

/// <summary>meta/v1 DeleteOptions, from the request body or the query string.</summary>
internal sealed record DeleteOptions
{
    /// <summary>Orphan, Background or Foreground; null lets the kind decide (Background for everything here).</summary>
    public string? PropagationPolicy { get; init; }

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }

    public long? GracePeriodSeconds { get; init; }

    public bool DryRun { get; init; }

    public static readonly DeleteOptions Default = new();
}
