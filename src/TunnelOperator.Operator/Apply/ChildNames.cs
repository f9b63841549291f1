using System.Security.Cryptography;
using System.Text;

namespace TunnelOperator.Operator.Apply;

/// <summary>Label values and DNS names derived from object names.</summary>
internal static class ChildNames
{
    /// <summary>The cluster DNS domain Service names live under.</summary>
    public const string ClusterDomain = "cluster.local";

    /// <summary>
    /// <paramref name="name"/> as a label value: itself when it fits in 63 characters, else a prefix and
    /// a hash of the whole, so two long names never share a value.
    /// </summary>
    public static string LabelValue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length <= 63)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return name[..54].TrimEnd('-', '.', '_') + "-" + hash;
    }

    /// <summary><c>name.namespace.svc.cluster.local</c>, the name cluster DNS gives a Service.</summary>
    public static string ServiceDnsName(string service, string @namespace) => $"{service}.{@namespace}.svc.{ClusterDomain}";
}
