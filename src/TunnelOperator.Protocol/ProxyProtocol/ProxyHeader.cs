using System.Net;
using System.Text;

namespace TunnelOperator.Protocol.ProxyProtocol;

/// <summary>PROXY protocol v2 command (proxy-protocol.txt, section 2.2, the low nibble of byte 13).</summary>
public enum ProxyCommand : byte
{
    /// <summary>A connection the proxy made on its own behalf (health checks): no addresses apply.</summary>
    Local = 0x0,
    /// <summary>A relayed connection: the addresses are the original client's and the proxy's.</summary>
    Proxy = 0x1,
}

/// <summary>The transport of the relayed connection (low nibble of byte 14).</summary>
public enum ProxyTransport : byte
{
    Unspecified = 0x0,
    Stream = 0x1,
    Datagram = 0x2,
}

/// <summary>One type-length-value extension of a v2 header.</summary>
public readonly record struct ProxyTlv(byte Type, ReadOnlyMemory<byte> Value)
{
    /// <summary>PP2_TYPE_ALPN: the application protocol the client negotiated.</summary>
    public const byte Alpn = 0x01;

    /// <summary>PP2_TYPE_AUTHORITY: the host name the client asked for (the TLS SNI).</summary>
    public const byte Authority = 0x02;

    /// <summary>First and last type of the range the spec leaves to applications (PP2_TYPE_MIN_CUSTOM..MAX_CUSTOM).</summary>
    public const byte MinCustom = 0xE0;

    public const byte MaxCustom = 0xEF;

    /// <summary>Ours (custom range): UTF-8 <c>tenant=&lt;id&gt;;service=&lt;name&gt;</c>.</summary>
    public const byte TunnelIdentity = 0xE0;

    public string ValueAsText() => Encoding.UTF8.GetString(Value.Span);

    public static ProxyTlv Text(byte type, string value) => new(type, Encoding.UTF8.GetBytes(value));

    public static ProxyTlv Identity(string tenant, string service) => Text(TunnelIdentity, $"tenant={tenant};service={service}");
}

/// <summary>
/// A PROXY protocol v2 header: who the client really was (<see cref="Source"/>), what it
/// connected to (<see cref="Destination"/>), and optional TLVs. Both addresses are of the same
/// family; a <see cref="ProxyCommand.Local"/> header carries none.
/// </summary>
public sealed record ProxyHeader
{
    public ProxyCommand Command { get; init; } = ProxyCommand.Proxy;
    public ProxyTransport Transport { get; init; } = ProxyTransport.Stream;
    public IPEndPoint? Source { get; init; }
    public IPEndPoint? Destination { get; init; }
    public IReadOnlyList<ProxyTlv> Tlvs { get; init; } = [];

    /// <summary>The AUTHORITY TLV (SNI), when present.</summary>
    public string? Authority => Tlvs.FirstOrDefault(t => t.Type == ProxyTlv.Authority) is { Value.Length: > 0 } tlv ? tlv.ValueAsText() : null;

    public ProxyTlv? Find(byte type)
    {
        foreach (var tlv in Tlvs)
        {
            if (tlv.Type == type)
            {
                return tlv;
            }
        }

        return null;
    }
}
