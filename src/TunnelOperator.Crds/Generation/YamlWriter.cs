using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TunnelOperator.Crds.Generation;

/// <summary>
/// Writes a JSON tree as block YAML, keys in the tree's order, so the same tree always gives the
/// same bytes. Strings a YAML 1.1 reader (kubectl's go-yaml) would take for another type are
/// quoted: True, no, 80, 1e3, 1:30, ~ and the like.
/// </summary>
internal static partial class YamlWriter
{
    public static string Write(JsonNode node, string? headerComment = null)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (headerComment is not null)
        {
            foreach (var line in headerComment.Split('\n'))
            {
                text.Write(line.Length == 0 ? "#\n" : $"# {line}\n");
            }
        }

        // Lines are never folded: a folded description is harder to diff and to grep.
        var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, true, obj.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, true, array.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                // Numbers and booleans print as JSON does, which is also their plain YAML form.
                emitter.Emit(new Scalar(null, null, value.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string value)
    {
        var style = value.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : ReadsAsNonString(value) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, value, style, true, true));
    }

    /// <summary>True when a plain scalar with this text would not read back as this string.</summary>
    internal static bool ReadsAsNonString(string value) =>
        value.Length == 0 || value != value.Trim() || NonStringPlain().IsMatch(value);

    // YAML 1.1 booleans and nulls (kubectl still reads 1.1), anything that starts like a number
    // (ints, floats, sexagesimals, octals, 1e3), the special floats and the merge/value keys.
    [GeneratedRegex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|<<|=|[-+]?\.?[0-9].*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.Singleline)]
    private static partial Regex NonStringPlain();
}
