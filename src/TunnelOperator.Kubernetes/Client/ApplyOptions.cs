namespace TunnelOperator.Kubernetes.Client;

/// <summary>Query parameters of a server-side apply.</summary>
public sealed record ApplyOptions
{
    /// <summary>Required: the manager that owns the applied fields; one per controller, stable across releases.</summary>
    public required string FieldManager { get; init; }

    /// <summary>
    /// Take ownership of fields other managers own instead of failing with 409 Conflict. Controllers
    /// set it: they are the source of truth for the fields they apply (server-side apply docs, "Using
    /// server-side apply in a controller").
    /// </summary>
    public bool Force { get; init; }

    public bool DryRun { get; init; }

    public string? FieldValidation { get; init; }
}
