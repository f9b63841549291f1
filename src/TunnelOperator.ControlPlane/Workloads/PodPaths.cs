using System.Globalization;

namespace TunnelOperator.ControlPlane.Workloads;

/// <summary>
/// Where a Pod lives on disk, under the control plane's data directory:
/// <code>
/// pods/&lt;ns&gt;_&lt;name&gt;/            the Pod's directory: HOME and working directory of its processes
///   uid                            which Pod (by uid) the directory belongs to
///   volumes/&lt;volume&gt;/             secret, configMap and emptyDir volumes as files
///   mounts/&lt;mountPath&gt;            symlinks to the volumes: /var/run/x is mounts/var/run/x
///   logs/&lt;container&gt;/&lt;n&gt;.log     the n-th run of a container, in the CRI log format
///   run/&lt;container&gt;.pid          the running process (pid and start time), to reap it after a crash
///   tmp/                           TMPDIR
/// persistentvolumes/&lt;ns&gt;/&lt;claim&gt;/ persistentVolumeClaim volumes, kept across Pods
/// hosts                            Service names and clusterIPs, hosts(5) format (TUNNELOP_HOSTS_FILE)
/// </code>
/// </summary>
internal sealed class PodPaths
{
    public PodPaths(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        Root = Path.Combine(DataDirectory, "pods");
    }

    public string DataDirectory { get; }

    /// <summary><c>&lt;data-dir&gt;/pods</c></summary>
    public string Root { get; }

    public string HostsFile => Path.Combine(DataDirectory, "hosts");

    public string Pod(string ns, string name) => Path.Combine(Root, $"{ns}_{name}");

    public string Volume(string ns, string name, string volume) => Path.Combine(Pod(ns, name), "volumes", volume);

    public string PersistentVolume(string ns, string claim) => Path.Combine(DataDirectory, "persistentvolumes", ns, claim);

    /// <summary>Where an absolute path inside the container is on this machine: <c>/etc/x</c> → <c>&lt;pod&gt;/mounts/etc/x</c>.</summary>
    public string Mount(string ns, string name, string containerPath) =>
        Path.Combine(Pod(ns, name), "mounts", containerPath.TrimStart('/'));

    public string Logs(string ns, string name, string container) => Path.Combine(Pod(ns, name), "logs", container);

    public string Log(string ns, string name, string container, int instance) =>
        Path.Combine(Logs(ns, name, container), instance.ToString(CultureInfo.InvariantCulture) + ".log");

    public string PidFile(string ns, string name, string container) => Path.Combine(Pod(ns, name), "run", container + ".pid");

    /// <summary>The runs of a container that left a log, oldest first.</summary>
    public IReadOnlyList<(int Instance, string Path)> LogFiles(string ns, string name, string container)
    {
        var dir = Logs(ns, name, container);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(dir, "*.log")
            .Select(p => (Ok: int.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var n), Instance: n, Path: p))
            .Where(x => x.Ok)
            .Select(x => (x.Instance, x.Path))
            .OrderBy(x => x.Instance)];
    }
}
