namespace TunnelOperator.Kubernetes.Models;

/// <summary>
/// The body of a delete call (meta/v1 DeleteOptions): how dependents are treated, how long the
/// object may take to go, and preconditions that make the delete conditional.
/// </summary>
public sealed record DeleteOptions
{
    public string? ApiVersion { get; init; } = "v1";

    public string? Kind { get; init; } = "DeleteOptions";

    /// <summary>Seconds before the object is removed; 0 means now. Null lets the kind's default apply.</summary>
    public long? GracePeriodSeconds { get; init; }

    /// <summary>Delete only if the live object still has this uid and/or resourceVersion (else 409 Conflict).</summary>
    public Preconditions? Preconditions { get; init; }

    /// <summary>Null lets the kind's default apply (Background for most, Orphan for some legacy kinds).</summary>
    public PropagationPolicy? PropagationPolicy { get; init; }

    /// <summary><c>["All"]</c> asks for every stage but persistence; see <see cref="DryRunAll"/>.</summary>
    public IReadOnlyList<string>? DryRun { get; init; }

    /// <summary>The only dry-run value the API defines.</summary>
    public static IReadOnlyList<string> DryRunAll { get; } = ["All"];
}
