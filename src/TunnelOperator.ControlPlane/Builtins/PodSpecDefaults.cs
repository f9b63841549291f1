using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>The defaults core/v1 applies to a PodSpec (SetDefaults_PodSpec, SetDefaults_Container), and its basic validation.</summary>
internal static class PodSpecDefaults
{
    public static void Apply(JsonObject spec)
    {
        SetIfMissing(spec, "restartPolicy", "Always");
        SetIfMissing(spec, "dnsPolicy", "ClusterFirst");
        SetIfMissing(spec, "schedulerName", "default-scheduler");
        SetIfMissing(spec, "terminationGracePeriodSeconds", 30);
        SetIfMissing(spec, "securityContext", new JsonObject());
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var c in containers.OfType<JsonObject>())
            {
                var image = Meta.Str(c["image"]) ?? "";
                var tagged = image.Contains('@', StringComparison.Ordinal) || (image.LastIndexOf(':') > image.LastIndexOf('/') && !image.EndsWith(":latest", StringComparison.Ordinal));
                SetIfMissing(c, "imagePullPolicy", tagged ? "IfNotPresent" : "Always");
                SetIfMissing(c, "terminationMessagePath", "/dev/termination-log");
                SetIfMissing(c, "terminationMessagePolicy", "File");
                SetIfMissing(c, "resources", new JsonObject());
                if (c["ports"] is JsonArray ports)
                {
                    foreach (var p in ports.OfType<JsonObject>())
                    {
                        SetIfMissing(p, "protocol", "TCP");
                    }
                }
            }
        }
    }

    public static IEnumerable<FieldError> Validate(JsonNode? spec, string path)
    {
        if (spec?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            yield return FieldError.Required($"{path}.containers", "");
            yield break;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var name = Meta.Str(containers[i]?["name"]) ?? "";
            if (name.Length == 0)
            {
                yield return FieldError.Required($"{path}.containers[{i}].name", "");
            }
            else if (!names.Add(name))
            {
                yield return FieldError.Duplicate($"{path}.containers[{i}].name", name);
            }

            if (string.IsNullOrEmpty(Meta.Str(containers[i]?["image"])))
            {
                yield return FieldError.Required($"{path}.containers[{i}].image", "");
            }
        }
    }

    internal static void SetIfMissing(JsonObject obj, string key, JsonNode? value)
    {
        if (obj[key] is null)
        {
            obj[key] = value;
        }
    }
}
