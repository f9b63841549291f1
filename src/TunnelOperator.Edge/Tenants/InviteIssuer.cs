using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Store;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Edge.Tenants;

/// <summary>
/// Creates an invite in the store and writes its token: the tenant and invite ids, the
/// secret, and the edges to connect to (given, or every edge the store has recorded; the
/// first is also the hub URL).
/// </summary>
public static class InviteIssuer
{
    public static async Task<StoreResult<(CreatedInvite Invite, string Token)>> IssueAsync(TunnelStore store, CreateInviteRequest request, CancellationToken ct)
    {
        var edges = request.EdgeUrls is { Count: > 0 } given ? [.. given] : await store.ListEdgeUrlsAsync(ct).ConfigureAwait(false);
        foreach (var edge in edges)
        {
            if (!Uri.TryCreate(edge, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                return StoreResult<(CreatedInvite, string)>.Failure(StoreError.InvalidArgument, $"edge URL '{edge}' must be an https:// URL, like https://edge.example.com:7777");
            }
        }

        if (edges.Count == 0)
        {
            return StoreResult<(CreatedInvite, string)>.Failure(StoreError.InvalidArgument, "no edge is known yet: start 'tunneld serve' once (it records its --advertise-url), or pass --edge-url https://<edge>:7777");
        }

        if (request.ExpiresInSeconds is <= 0)
        {
            return StoreResult<(CreatedInvite, string)>.Failure(StoreError.InvalidArgument, "--expires must be positive, like 48h");
        }

        DateTimeOffset? expires = request.ExpiresInSeconds is { } seconds ? store.Now().AddSeconds(seconds) : null;
        var created = await store.CreateInviteAsync(request.Name, request.Hostnames, request.Ports, expires, ct).ConfigureAwait(false);
        if (!created.Ok)
        {
            return StoreResult<(CreatedInvite, string)>.Failure(created.Error, created.Message);
        }

        var invite = created.Value.Invite;
        var token = new InviteToken(invite.TenantId, invite.Id, created.Value.Secret, edges, edges[0]).Encode();
        return StoreResult<(CreatedInvite, string)>.Success((created.Value, token));
    }

    public static InviteView View(InviteRecord invite) =>
        new(invite.Id.ToString("N"), invite.TenantId.ToString("N"), invite.TenantName, invite.AllowedHostnames, invite.AllowedPorts, invite.ExpiresAt, invite.CreatedAt);
}
