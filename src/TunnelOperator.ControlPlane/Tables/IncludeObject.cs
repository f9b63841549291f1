namespace TunnelOperator.ControlPlane.Tables;

/// <summary>The includeObject query parameter of a Table request (metav1.IncludeObjectPolicy).</summary>
public enum IncludeObject
{
    /// <summary>Rows carry no object.</summary>
    None,

    /// <summary>Rows carry a PartialObjectMetadata (the default when the parameter is absent).</summary>
    Metadata,

    /// <summary>Rows carry the whole object.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The API's own value name (metav1.IncludeObject).")]
    Object,
}
