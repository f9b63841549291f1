namespace TunnelOperator.Controllers;

/// <summary>The write a changed status goes out as.</summary>
public enum StatusWriteMode
{
    /// <summary>A JSON merge patch of the status subresource with only what differs.</summary>
    MergePatch,

    /// <summary>Server-side apply of the whole status to the status subresource, forced, under <see cref="StatusWriteOptions.FieldManager"/>.</summary>
    Apply,
}
