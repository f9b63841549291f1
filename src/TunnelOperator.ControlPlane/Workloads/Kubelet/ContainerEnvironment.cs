using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>What a container's environment resolved to, or why it could not be (CreateContainerConfigError).</summary>
internal sealed record ResolvedEnvironment(IReadOnlyDictionary<string, string>? Variables, string? Error, IReadOnlyList<string> InvalidNames);

/// <summary>
/// A container's environment as the kubelet builds it (makeEnvironmentVariables): <c>envFrom</c> sources in
/// order (with prefix; keys that are not valid names are skipped and reported), then <c>env</c> in order
/// (<c>$(VAR)</c> expanded against what came before and the service links; <c>valueFrom</c> from Secrets,
/// ConfigMaps, the downward API and resource fields), then the service links not already set. Literal
/// values naming a path under a mountPath are mapped to the local path (<see cref="MountPaths"/>).
/// </summary>
internal static partial class ContainerEnvironment
{
    public sealed record PodFacts(JsonObject Pod, string? PodIp, string NodeName, string HostIp);

    public static ResolvedEnvironment Resolve(ClusterApi api, PodFacts facts, Container container, MountPaths mounts)
    {
        var pod = facts.Pod;
        var ns = Meta.Namespace(pod);
        var serviceEnv = ServiceLinks.For(api, ns, pod["spec"]?["enableServiceLinks"] is not JsonValue v || !v.TryGetValue<bool>(out var links) || links);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var invalid = new List<string>();
        foreach (var source in container.EnvFrom ?? [])
        {
            IReadOnlyDictionary<string, string>? values;
            if (source.SecretRef is { } secretRef)
            {
                var secret = api.Get(api.Secrets, ns, secretRef.Name ?? "");
                if (secret is null)
                {
                    if (secretRef.Optional == true)
                    {
                        continue;
                    }

                    return Failed($"secret \"{secretRef.Name}\" not found");
                }

                values = Meta.StringMap(secret["data"]).ToDictionary(kv => kv.Key, kv => DecodeBase64(kv.Value), StringComparer.Ordinal);
            }
            else if (source.ConfigMapRef is { } configMapRef)
            {
                var configMap = api.Get(api.ConfigMaps, ns, configMapRef.Name ?? "");
                if (configMap is null)
                {
                    if (configMapRef.Optional == true)
                    {
                        continue;
                    }

                    return Failed($"configmap \"{configMapRef.Name}\" not found");
                }

                values = Meta.StringMap(configMap["data"]);
            }
            else
            {
                continue;
            }

            foreach (var (key, value) in values)
            {
                var name = (source.Prefix ?? "") + key;
                if (!EnvName().IsMatch(name))
                {
                    invalid.Add(name);
                    continue;
                }

                env[name] = value;
            }
        }

        string? Lookup(string name) => env.TryGetValue(name, out var value) ? value : serviceEnv.GetValueOrDefault(name);
        foreach (var variable in container.Env ?? [])
        {
            var name = variable.Name ?? "";
            if (variable.ValueFrom is null)
            {
                env[name] = mounts.Rewrite(VarExpansion.Expand(variable.Value ?? "", Lookup));
                continue;
            }

            var (value, error, skip) = ValueFrom(api, facts, container, variable.ValueFrom);
            if (error is not null)
            {
                return Failed(error);
            }

            if (!skip)
            {
                env[name] = value!;
            }
        }

        foreach (var (key, value) in serviceEnv)
        {
            env.TryAdd(key, value);
        }

        return new ResolvedEnvironment(env, null, invalid);

        ResolvedEnvironment Failed(string error) => new(null, error, invalid);
    }

    private static (string? Value, string? Error, bool Skip) ValueFrom(ClusterApi api, PodFacts facts, Container container, EnvVarSource source)
    {
        var pod = facts.Pod;
        var ns = Meta.Namespace(pod);
        if (source.SecretKeyRef is { } secretKey)
        {
            var secret = api.Get(api.Secrets, ns, secretKey.Name ?? "");
            var data = secret is null ? null : Meta.StringMap(secret["data"]);
            return (secret, data) switch
            {
                (null, _) when secretKey.Optional == true => (null, null, true),
                (null, _) => (null, $"secret \"{secretKey.Name}\" not found", false),
                (_, { } d) when d.TryGetValue(secretKey.Key ?? "", out var encoded) => (DecodeBase64(encoded), null, false),
                _ when secretKey.Optional == true => (null, null, true),
                _ => (null, $"couldn't find key {secretKey.Key} in Secret {ns}/{secretKey.Name}", false),
            };
        }

        if (source.ConfigMapKeyRef is { } configMapKey)
        {
            var configMap = api.Get(api.ConfigMaps, ns, configMapKey.Name ?? "");
            var data = configMap is null ? null : Meta.StringMap(configMap["data"]);
            return (configMap, data) switch
            {
                (null, _) when configMapKey.Optional == true => (null, null, true),
                (null, _) => (null, $"configmap \"{configMapKey.Name}\" not found", false),
                (_, { } d) when d.TryGetValue(configMapKey.Key ?? "", out var value) => (value, null, false),
                _ when configMapKey.Optional == true => (null, null, true),
                _ => (null, $"couldn't find key {configMapKey.Key} in ConfigMap {ns}/{configMapKey.Name}", false),
            };
        }

        if (source.FieldRef is { } fieldRef)
        {
            return FieldRef(facts, fieldRef.FieldPath ?? "") is { } value
                ? (value, null, false)
                : (null, $"unsupported fieldPath: {fieldRef.FieldPath}", false);
        }

        if (source.ResourceFieldRef is { } resourceRef)
        {
            return (ResourceField(container, resourceRef.Resource ?? ""), null, false);
        }

        return (null, "env var source names nothing", false);
    }

    /// <summary>The downward API fields kubelet resolves for env (podFieldSelectorRuntimeValue).</summary>
    public static string? FieldRef(PodFacts facts, string path)
    {
        var pod = facts.Pod;
        var quoted = QuotedKey().Match(path);
        if (quoted.Success)
        {
            var map = quoted.Groups[1].Value == "labels" ? pod["metadata"]?["labels"] : pod["metadata"]?["annotations"];
            return Meta.Str(map?[quoted.Groups[2].Value]) ?? "";
        }

        return path switch
        {
            "metadata.name" => Meta.Name(pod),
            "metadata.namespace" => Meta.Namespace(pod),
            "metadata.uid" => Meta.Uid(pod),
            "spec.nodeName" => facts.NodeName,
            "spec.serviceAccountName" => Meta.Str(pod["spec"]?["serviceAccountName"]) ?? "default",
            "status.hostIP" or "status.hostIPs" => facts.HostIp,
            "status.podIP" or "status.podIPs" => facts.PodIp ?? "",
            _ => null,
        };
    }

    /// <summary>A container's request or limit as written; an unset limit is the node's capacity, as kubelet reports it.</summary>
    private static string ResourceField(Container container, string resource)
    {
        var parts = resource.Split('.', 2);
        var set = parts.Length == 2 && container.Resources is { } r
            ? (parts[0] == "limits" ? r.Limits : r.Requests)?.GetValueOrDefault(parts[1])
            : null;
        return set ?? (parts.ElementAtOrDefault(1) switch
        {
            "memory" => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "cpu" => Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "0",
        });
    }

    private static string DecodeBase64(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return value;
        }
    }

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['(.+)'\]$")]
    private static partial Regex QuotedKey();
}
