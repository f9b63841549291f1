namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Regular expressions shared by the kinds. Each must mean the same in .NET and in Go's RE2 (the
/// API server's engine): anchors, classes, groups and repetition only.
/// </summary>
internal static class Patterns
{
    /// <summary>An RFC 1123 label: a Kubernetes object name that is also one DNS label.</summary>
    public const string DnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>An RFC 1123 subdomain: dot-separated labels, lower case.</summary>
    public const string DnsName = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A DNS name that may start with <c>*.</c>, matching every name one label deeper.</summary>
    public const string WildcardDnsName = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A DNS name or an IPv4/IPv6 address literal.</summary>
    public const string Host = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*|[0-9a-fA-F:.]+)$";

    /// <summary>An origin URL of a scheme the agent can dial, with a host and an optional path.</summary>
    public const string TargetUrl = "^(http|https|tcp|udp)://[^\\s/?#]+(/[^\\s]*)?$";

    /// <summary>An https URL (ACME directories are only served over TLS, RFC 8555 section 6.1).</summary>
    public const string HttpsUrl = "^https://[^\\s/?#]+(/[^\\s]*)?$";

    /// <summary>
    /// A Go duration restricted to whole hours, minutes and seconds in that order (<c>48h</c>,
    /// <c>1h30m</c>), the form metav1.Duration and cert-manager users already write.
    /// </summary>
    public const string Duration = "^([0-9]+h)?([0-9]+m)?([0-9]+s)?$";

    /// <summary>A key of a Secret's data (the API server's own rule for ConfigMap and Secret keys).</summary>
    public const string SecretKey = "^[-._a-zA-Z0-9]+$";

    /// <summary>An IPv4 or IPv6 network in CIDR notation; the operator parses it fully.</summary>
    public const string Cidr = "^[0-9a-fA-F:.]+/[0-9]{1,3}$";

    /// <summary>A resource quantity (<c>100m</c>, <c>128Mi</c>, <c>1</c>) as core/v1 writes it.</summary>
    public const string Quantity = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    /// <summary>A container image reference; the container runtime judges the rest.</summary>
    public const string Image = "^[^\\s]+$";

    /// <summary>An e-mail address, loosely: the ACME server is the one that judges it.</summary>
    public const string Email = "^[^@\\s]+@[^@\\s]+$";

    /// <summary>A <c>host:port</c> address of a DNS server.</summary>
    public const string HostPort = "^[^\\s]+:[0-9]{1,5}$";
}
