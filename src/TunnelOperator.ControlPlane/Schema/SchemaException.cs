namespace TunnelOperator.ControlPlane.Schema;

/// <summary>The openAPIV3Schema is not JSON Schema of the shape JSONSchemaProps allows (wrong JSON types).</summary>
public sealed class SchemaException : Exception
{
    public SchemaException()
    {
    }

    public SchemaException(string message)
        : base(message)
    {
    }

    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
