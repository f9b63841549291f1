using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.EdgeNodes;

/// <summary>The HMAC that signs RFC 2136 updates (TSIG, RFC 8945).</summary>
public enum TsigAlgorithm
{
    [JsonStringEnumMemberName("hmac-sha256")]
    HmacSha256,

    [JsonStringEnumMemberName("hmac-sha384")]
    HmacSha384,

    [JsonStringEnumMemberName("hmac-sha512")]
    HmacSha512,
}
