using System.Collections.Immutable;

namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>
/// What one edge reported at <see cref="FetchedAt"/>: live tunnels, users and tokens. Shared by the
/// reconciles of every Tunnel on the edge; users and tokens the operator creates meanwhile are added
/// so that later reconciles see them before the next fetch.
/// </summary>
internal sealed class EdgeSnapshot(DateTimeOffset fetchedAt, IReadOnlyList<EdgeTunnel> tunnels, IEnumerable<EdgeUser> users, IEnumerable<EdgeToken> tokens)
{
    private ImmutableDictionary<string, EdgeUser> _users = users.ToImmutableDictionary(u => u.Email, StringComparer.OrdinalIgnoreCase);
    private ImmutableDictionary<Guid, EdgeToken> _tokens = tokens.ToImmutableDictionary(t => t.Id);

    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    public IReadOnlyList<EdgeTunnel> Tunnels { get; } = tunnels;

    public EdgeUser? FindUser(string email) => _users.GetValueOrDefault(email);

    public bool HasToken(Guid id) => _tokens.ContainsKey(id);

    /// <summary>Tokens named <paramref name="name"/>, e.g. one issued for a Tunnel whose Secret was never written.</summary>
    public IReadOnlyList<EdgeToken> TokensNamed(string name) => [.. _tokens.Values.Where(t => t.Name == name)];

    public void Add(EdgeUser user) => ImmutableInterlocked.Update(ref _users, (d, u) => d.SetItem(u.Email, u), user);

    public void Add(EdgeToken token) => ImmutableInterlocked.Update(ref _tokens, (d, t) => d.SetItem(t.Id, t), token);

    public void Remove(Guid tokenId) => ImmutableInterlocked.Update(ref _tokens, (d, id) => d.Remove(id), tokenId);
}
