using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// core/v1 Secret: <c>data</c> values are base64 (refused at decoding when not), <c>stringData</c> is a
/// write-only convenience merged into <c>data</c> and never stored, <c>type</c> defaults to Opaque.
/// </summary>
internal sealed class SecretStrategy : ResourceStrategy
{
    public override ApiError? Decode(JsonObject obj, ResourceDefinition def, FieldValidation validation, List<string> warnings)
    {
        if (obj["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                var text = Meta.Str(value) ?? "";
                if (!IsBase64(text, out var at))
                {
                    return ApiError.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {at}");
                }

                _ = key;
            }
        }

        if (obj["stringData"] is JsonObject stringData)
        {
            if (obj["data"] is not JsonObject target)
            {
                target = new JsonObject();
                obj["data"] = target;
            }

            foreach (var (key, value) in stringData)
            {
                target[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Meta.Str(value) ?? ""));
            }

            obj.Remove("stringData");
        }

        if (string.IsNullOrEmpty(Meta.Str(obj["type"])))
        {
            obj["type"] = "Opaque";
        }

        return null;
    }

    private static bool IsBase64(string text, out int badByte)
    {
        badByte = 0;
        if (text.Length % 4 != 0)
        {
            badByte = text.Length - (text.Length % 4);
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = char.IsAsciiLetterOrDigit(c) || c is '+' or '/' || (c == '=' && i >= text.Length - 2);
            if (!ok)
            {
                badByte = i;
                return false;
            }
        }

        return true;
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def)
    {
        var errors = new List<FieldError>();
        if (obj["data"] is JsonObject data)
        {
            foreach (var (key, _) in data)
            {
                if (!ConfigMapStrategy.IsConfigKey(key))
                {
                    errors.Add(FieldError.Invalid($"data[{key}]", key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
                }
            }
        }

        if (old is not null && Meta.Str(old["type"]) != Meta.Str(obj["type"]))
        {
            errors.Add(FieldError.Invalid("type", obj["type"], "field is immutable"));
        }

        errors.AddRange(ConfigMapStrategy.ImmutableData(obj, old, ["data"]));
        return errors;
    }

    public override string? SelectableField(JsonObject obj, string field) => field == "type" ? Meta.Str(obj["type"]) ?? "" : null;
}
