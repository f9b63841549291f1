using System.Collections.Concurrent;

namespace TunnelOperator.Edge.Routing;

public enum RegisterOutcome
{
    Registered,
    /// <summary>The subdomain is live from another client and no takeover was asked (or allowed).</summary>
    Conflict,
}

public readonly record struct RegisterResult(RegisterOutcome Outcome, ActiveTunnel? Evicted, ActiveTunnel? Holder);

/// <summary>
/// The live map from subdomain to tunnel on this edge. Registration is atomic per
/// subdomain: two clients racing for one name see exactly one winner.
/// </summary>
public sealed class TunnelRegistry
{
    private readonly ConcurrentDictionary<string, ActiveTunnel> _bySubdomain = new(StringComparer.Ordinal);

    public int Count => _bySubdomain.Count;

    public bool TryGet(string subdomain, out ActiveTunnel tunnel) => _bySubdomain.TryGetValue(subdomain, out tunnel!);

    public ICollection<ActiveTunnel> Snapshot() => _bySubdomain.Values;

    /// <summary>
    /// Binds the tunnel's subdomain. With <paramref name="takeover"/>, a holder that belongs
    /// to the same user is replaced and returned as <see cref="RegisterResult.Evicted"/>; a
    /// holder owned by anyone else is never evicted.
    /// </summary>
    public RegisterResult TryRegister(ActiveTunnel tunnel, bool takeover)
    {
        while (true)
        {
            if (_bySubdomain.TryAdd(tunnel.Subdomain, tunnel))
            {
                return new RegisterResult(RegisterOutcome.Registered, null, null);
            }

            if (!_bySubdomain.TryGetValue(tunnel.Subdomain, out var holder))
            {
                continue; // removed between the two calls; try again
            }

            if (!takeover || holder.Session.User.Id != tunnel.Session.User.Id)
            {
                return new RegisterResult(RegisterOutcome.Conflict, null, holder);
            }

            if (_bySubdomain.TryUpdate(tunnel.Subdomain, tunnel, holder))
            {
                return new RegisterResult(RegisterOutcome.Registered, holder, null);
            }
        }
    }

    /// <summary>Removes the mapping only if it still points at this tunnel (a takeover may have replaced it).</summary>
    public bool Remove(ActiveTunnel tunnel) =>
        _bySubdomain.TryRemove(new KeyValuePair<string, ActiveTunnel>(tunnel.Subdomain, tunnel));
}
