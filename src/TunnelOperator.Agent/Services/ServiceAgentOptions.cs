using TunnelOperator.Protocol;
using TunnelOperator.Protocol.Tenants;

namespace TunnelOperator.Agent.Services;

/// <summary>How <c>tunnelctl agent</c> runs: its invite, its services, the edges to connect to.</summary>
public sealed record ServiceAgentOptions
{
    /// <summary>The invite token as given (sent as the hello token).</summary>
    public required string InviteToken { get; init; }

    /// <summary>Agent endpoints; by default the ones the invite token carries.</summary>
    public required IReadOnlyList<Uri> Edges { get; init; }

    public required IReadOnlyList<AgentService> Services { get; init; }

    /// <summary>A PEM CA to trust for the edges (edges with a generated CA).</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>Random per process start: replicas and restarts are told apart by it.</summary>
    public Guid AgentId { get; init; } = Guid.NewGuid();

    public string ClientVersion { get; init; } = WireProtocol.ProgramVersion;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A UDP client's origin session ends after this long without a datagram either way.</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The edges an invite token names, as URIs (invalid ones are skipped).</summary>
    public static IReadOnlyList<Uri> EdgesOf(InviteToken invite) =>
        [.. invite.EdgeUrls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>()];
}
