using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.PortForwards;

/// <summary>Where the credentials of a port forward's clients come from.</summary>
public enum PortForwardAuthMode
{
    /// <summary>The operator mints one token into the Secret when it holds none.</summary>
    [JsonStringEnumMemberName("generated")]
    Generated,

    /// <summary>An existing Secret holds one token per client, under the client's name.</summary>
    [JsonStringEnumMemberName("provided")]
    Provided,
}
