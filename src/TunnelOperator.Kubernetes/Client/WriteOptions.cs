namespace TunnelOperator.Kubernetes.Client;

/// <summary>Query parameters of create, replace and patch calls.</summary>
public sealed record WriteOptions
{
    /// <summary>Run admission and validation but persist nothing (<c>dryRun=All</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>The manager the changed fields are recorded under in managedFields.</summary>
    public string? FieldManager { get; init; }

    /// <summary><c>Strict</c>, <c>Warn</c> or <c>Ignore</c>: what the server does with unknown or duplicate fields.</summary>
    public string? FieldValidation { get; init; }
}
