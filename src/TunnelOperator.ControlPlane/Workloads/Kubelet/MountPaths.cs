namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// Local processes share the machine's filesystem, so a container's mount paths live under its Pod's
/// directory (<c>/var/run/x</c> → <c>&lt;pod&gt;/mounts/var/run/x</c>). Args and literal env values that name
/// a path under a mountPath are rewritten to the local path: the whole value (<c>/etc/tls/tls.crt</c>) or
/// the value of a <c>--flag=/etc/tls/tls.crt</c>. Anything else is passed as written.
/// </summary>
internal sealed class MountPaths
{
    private readonly IReadOnlyList<(string ContainerPath, string LocalPath)> _mounts;

    public MountPaths(IEnumerable<(string ContainerPath, string LocalPath)> mounts) =>
        _mounts = [.. mounts.Select(m => (m.ContainerPath.TrimEnd('/'), m.LocalPath)).Where(m => m.Item1.Length > 0).OrderByDescending(m => m.Item1.Length)];

    public static MountPaths None { get; } = new([]);

    public string Rewrite(string value)
    {
        if (Map(value) is { } whole)
        {
            return whole;
        }

        var equals = value.IndexOf('=', StringComparison.Ordinal);
        return equals >= 0 && Map(value[(equals + 1)..]) is { } flagValue ? value[..(equals + 1)] + flagValue : value;
    }

    /// <summary>The local path of a container path under a mount, or null.</summary>
    public string? Map(string path)
    {
        foreach (var (containerPath, localPath) in _mounts)
        {
            if (path == containerPath)
            {
                return localPath;
            }

            if (path.Length > containerPath.Length && path.StartsWith(containerPath, StringComparison.Ordinal) && path[containerPath.Length] == '/')
            {
                return localPath + path[containerPath.Length..];
            }
        }

        return null;
    }
}
