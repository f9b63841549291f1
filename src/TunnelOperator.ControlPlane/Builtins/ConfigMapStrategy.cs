using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>core/v1 ConfigMap: key names, and <c>immutable: true</c> freezing data.</summary>
internal sealed class ConfigMapStrategy : ResourceStrategy
{
    public static bool IsConfigKey(string key) =>
        key.Length is > 0 and <= 253 && key is not ("." or "..") && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = new List<FieldError>();
        foreach (var section in new[] { "data", "binaryData" })
        {
            if (obj[section] is JsonObject data)
            {
                foreach (var (key, _) in data)
                {
                    if (!IsConfigKey(key))
                    {
                        errors.Add(FieldError.Invalid($"{section}[{key}]", key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
                    }
                }
            }
        }

        errors.AddRange(ImmutableData(obj, old, ["data", "binaryData"]));
        return errors;
    }

    /// <summary>An object marked immutable keeps its data and cannot be made mutable again.</summary>
    internal static IEnumerable<FieldError> ImmutableData(JsonObject obj, JsonObject? old, string[] sections)
    {
        if (old?["immutable"] is JsonValue wasImmutable && wasImmutable.TryGetValue<bool>(out var frozen) && frozen)
        {
            if (obj["immutable"] is not JsonValue now || !now.TryGetValue<bool>(out var still) || !still)
            {
                yield return FieldError.Forbidden("immutable", "field is immutable when `immutable` is set");
            }

            foreach (var section in sections)
            {
                if (!JsonNode.DeepEquals(obj[section], old[section]))
                {
                    yield return FieldError.Forbidden(section, "field is immutable when `immutable` is set");
                }
            }
        }
    }
}
