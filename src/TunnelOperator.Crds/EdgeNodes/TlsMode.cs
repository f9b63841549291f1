using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>Where the edge's certificates for the base host and custom hostnames come from.</summary>
public enum TlsMode
{
    /// <summary>The edge generates its own CA and issues from it: for trials and closed networks.</summary>
    [JsonStringEnumMemberName("selfSigned")]
    SelfSigned,

    /// <summary>A kubernetes.io/tls Secret someone else keeps current (cert-manager, say).</summary>
    [JsonStringEnumMemberName("secret")]
    Secret,

    /// <summary>The edge obtains certificates from an ACME server itself.</summary>
    [JsonStringEnumMemberName("acme")]
    Acme,
}
