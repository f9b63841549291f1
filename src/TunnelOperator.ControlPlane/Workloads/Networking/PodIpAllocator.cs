using TunnelOperator.ControlPlane.Builtins;

namespace TunnelOperator.ControlPlane.Workloads.Networking;

/// <summary>
/// Pod IPs from the node's podCIDR, one per Pod uid (host-local IPAM in spirit): the lowest free address,
/// the Pod's previous one when it still holds it (a runner restart), released when the Pod is gone. The
/// range is loopback, so every address can be bound on Linux with no setup.
/// </summary>
internal sealed class PodIpAllocator
{
    private readonly Ipv4Cidr _cidr;
    private readonly Dictionary<string, string> _byUid = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public PodIpAllocator(Ipv4Cidr cidr)
    {
        if (!cidr.IsLoopback)
        {
            throw new ArgumentException($"the pod CIDR {cidr} is not inside 127.0.0.0/8", nameof(cidr));
        }

        _cidr = cidr;
    }

    public Ipv4Cidr Cidr => _cidr;

    /// <summary>The Pod's address, or null when the range is exhausted.</summary>
    public string? Allocate(string uid, string? preferred = null)
    {
        lock (_byUid)
        {
            if (_byUid.TryGetValue(uid, out var held))
            {
                return held;
            }

            if (preferred is not null && _cidr.OffsetOf(preferred) is > 0 && !_used.Contains(preferred))
            {
                return Take(uid, preferred);
            }

            // Offset 0 is the network address and the last the broadcast one, by convention left alone.
            for (long offset = 1; offset < _cidr.Size - 1; offset++)
            {
                var candidate = _cidr.At(offset).ToString();
                if (!_used.Contains(candidate))
                {
                    return Take(uid, candidate);
                }
            }

            return null;
        }
    }

    public void Release(string uid)
    {
        lock (_byUid)
        {
            if (_byUid.Remove(uid, out var ip))
            {
                _used.Remove(ip);
            }
        }
    }

    private string Take(string uid, string ip)
    {
        _byUid[uid] = ip;
        _used.Add(ip);
        return ip;
    }
}
