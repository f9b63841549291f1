namespace TunnelOperator.ControlPlane.Patching;

/// <summary>A patch document that cannot be applied: malformed, or an operation that does not apply to the target.</summary>
public sealed class PatchException : Exception
{
    public PatchException()
    {
    }

    public PatchException(string message)
        : base(message)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
