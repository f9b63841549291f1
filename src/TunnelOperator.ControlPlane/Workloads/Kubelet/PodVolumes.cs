using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// Materialises a Pod's volumes as files under its directory and links each container's mountPaths to
/// them (<see cref="PodPaths"/>). Secret and configMap volumes are rewritten when their source changes (the
/// kubelet syncs them too); secret files are never readable by group or others on this shared machine
/// (the mode keeps its owner bits only, default 0600). persistentVolumeClaim volumes are directories
/// kept across Pods under <c>&lt;data-dir&gt;/persistentvolumes/&lt;ns&gt;/&lt;claim&gt;</c>.
/// </summary>
internal static class PodVolumes
{
    private const int DefaultMode = 420; // 0644, the API default

    /// <summary>Syncs the volumes; returns the mount mapping of every container, or the FailedMount message.</summary>
    public static (IReadOnlyDictionary<string, MountPaths>? Mounts, string? Error) Sync(ClusterApi api, PodPaths paths, Pod pod)
    {
        var ns = pod.Metadata.Namespace ?? "";
        var name = pod.Metadata.Name ?? "";
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            var volumeName = volume.Name ?? "";
            var dir = paths.Volume(ns, name, volumeName);
            string? error;
            if (volume.EmptyDir is not null)
            {
                Directory.CreateDirectory(dir);
                error = null;
            }
            else if (volume.Secret is { } secret)
            {
                error = SyncSecret(api, ns, secret, dir);
            }
            else if (volume.ConfigMap is { } configMap)
            {
                error = SyncConfigMap(api, ns, configMap, dir);
            }
            else if (volume.PersistentVolumeClaim is { ClaimName: { Length: > 0 } claim })
            {
                dir = paths.PersistentVolume(ns, claim);
                Directory.CreateDirectory(dir);
                error = null;
            }
            else
            {
                var type = volume.AdditionalProperties?.Keys.FirstOrDefault() ?? "unknown";
                error = $"volume type {type} is not supported by the local runner (secret, configMap, emptyDir and persistentVolumeClaim are)";
            }

            if (error is not null)
            {
                return (null, $"MountVolume.SetUp failed for volume \"{volumeName}\" : {error}");
            }

            dirs[volumeName] = dir;
        }

        var mounts = new Dictionary<string, MountPaths>(StringComparer.Ordinal);
        foreach (var container in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []))
        {
            var list = new List<(string, string)>();
            foreach (var mount in container.VolumeMounts ?? [])
            {
                if (mount.Name is null || mount.MountPath is not { Length: > 0 } mountPath || !dirs.TryGetValue(mount.Name, out var target))
                {
                    return (null, $"volume \"{mount.Name}\" of container \"{container.Name}\" is not a volume of the pod");
                }

                if (mount.SubPath is { Length: > 0 } subPath)
                {
                    target = Path.Combine(target, subPath);
                }

                var link = paths.Mount(ns, name, mountPath);
                Link(link, target);
                list.Add((mountPath, link));
            }

            mounts[container.Name ?? ""] = new MountPaths(list);
        }

        return (mounts, null);
    }

    private static string? SyncSecret(ClusterApi api, string ns, SecretVolumeSource source, string dir)
    {
        var secret = api.Get(api.Secrets, ns, source.SecretName ?? "");
        if (secret is null)
        {
            return source.Optional == true ? Write(dir, []) : $"secret \"{source.SecretName}\" not found";
        }

        var data = Decode(secret["data"]);
        return Project(data, source.Items, source.DefaultMode, secretFiles: true, source.Optional == true, dir);
    }

    private static string? SyncConfigMap(ClusterApi api, string ns, ConfigMapVolumeSource source, string dir)
    {
        var configMap = api.Get(api.ConfigMaps, ns, source.Name ?? "");
        if (configMap is null)
        {
            return source.Optional == true ? Write(dir, []) : $"configmap \"{source.Name}\" not found";
        }

        var data = Meta.StringMap(configMap["data"]).ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetBytes(kv.Value), StringComparer.Ordinal);
        foreach (var (key, value) in Decode(configMap["binaryData"]))
        {
            data[key] = value;
        }

        return Project(data, source.Items, source.DefaultMode, secretFiles: false, source.Optional == true, dir);
    }

    private static string? Project(IReadOnlyDictionary<string, byte[]> data, IReadOnlyList<KeyToPath>? items, int? defaultMode, bool secretFiles, bool optional, string dir)
    {
        var files = new Dictionary<string, (byte[] Content, int Mode)>(StringComparer.Ordinal);
        int ModeOf(int? mode)
        {
            var m = mode ?? defaultMode ?? DefaultMode;
            return secretFiles ? (m & 0b111_000_000) | 0b100_000_000 : m;
        }

        if (items is { Count: > 0 })
        {
            foreach (var item in items)
            {
                if (item.Key is null || !data.TryGetValue(item.Key, out var content))
                {
                    if (optional)
                    {
                        continue;
                    }

                    return $"{(secretFiles ? "secret" : "configmap")} references non-existent config key: {item.Key}";
                }

                files[item.Path ?? item.Key] = (content, ModeOf(item.Mode));
            }
        }
        else
        {
            foreach (var (key, content) in data)
            {
                files[key] = (content, ModeOf(null));
            }
        }

        return Write(dir, files);
    }

    /// <summary>Writes the files that differ, removes the ones no longer projected; null on success.</summary>
    private static string? Write(string dir, Dictionary<string, (byte[] Content, int Mode)> files)
    {
        Directory.CreateDirectory(dir);
        var root = Path.GetFullPath(dir) + Path.DirectorySeparatorChar;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, (content, mode)) in files)
        {
            var path = Path.GetFullPath(Path.Combine(dir, relative));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                return $"path \"{relative}\" leaves the volume";
            }

            wanted.Add(path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                // Written beside and renamed over, so a reader sees the old file or the new one, never half.
                var temp = path + ".tmp";
                File.WriteAllBytes(temp, content);
                SetMode(temp, mode);
                File.Move(temp, path, overwrite: true);
            }
            else
            {
                SetMode(path, mode);
            }
        }

        foreach (var existing in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            if (!wanted.Contains(Path.GetFullPath(existing)))
            {
                File.Delete(existing);
            }
        }

        return null;
    }

    private static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsWindows() && (int)File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
    }

    private static Dictionary<string, byte[]> Decode(JsonNode? data)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in Meta.StringMap(data))
        {
            try
            {
                result[key] = Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                result[key] = System.Text.Encoding.UTF8.GetBytes(value);
            }
        }

        return result;
    }

    private static void Link(string link, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        var info = new FileInfo(link);
        if (info.LinkTarget == target)
        {
            return;
        }

        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
        else if (Directory.Exists(link))
        {
            Directory.Delete(link, recursive: true);
        }

        File.CreateSymbolicLink(link, target);
    }
}
