using System.Net;
using TunnelOperator.Protocol.ProxyProtocol;
using TunnelOperator.Protocol.V1;

namespace TunnelOperator.Agent.Services;

/// <summary>Builds the PROXY v2 header an agent writes to an origin from a stream's header.</summary>
public static class ProxyHeaders
{
    /// <summary>
    /// The public client as source and the edge address it reached as destination; an
    /// AUTHORITY TLV with the SNI when there is one; and our identity TLV (0xE0) with the tenant
    /// and service. Unparseable addresses give a LOCAL header, which receivers accept without
    /// taking addresses from it.
    /// </summary>
    public static byte[] For(StreamHeader header, string tenant, ProxyTransport transport)
    {
        var tlvs = new List<ProxyTlv>();
        if (header.ServerName.Length > 0)
        {
            tlvs.Add(ProxyTlv.Text(ProxyTlv.Authority, header.ServerName));
        }

        tlvs.Add(ProxyTlv.Identity(tenant, header.Service));
        var known = IPEndPoint.TryParse(header.ClientAddress, out var source) & IPEndPoint.TryParse(header.ServerAddress, out var destination);
        return ProxyHeaderWriter.Encode(new ProxyHeader
        {
            Command = known ? ProxyCommand.Proxy : ProxyCommand.Local,
            Transport = transport,
            Source = known ? source : null,
            Destination = known ? destination : null,
            Tlvs = tlvs,
        });
    }
}
