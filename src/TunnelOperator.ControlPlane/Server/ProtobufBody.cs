using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>application/vnd.kubernetes.protobuf</c>) for the kinds
/// kubectl creates through its typed clients (<c>kubectl create namespace|configmap|secret|deployment|service|role|clusterrole|rolebinding|clusterrolebinding</c>),
/// which send protobuf whatever the server prefers. The envelope is the magic <c>k8s\0</c> followed by a
/// runtime.Unknown {typeMeta=1 {apiVersion=1, kind=2}, raw=2}; raw is the object in the field numbering of
/// k8s.io/api's generated.proto (the tables in the other parts of this class).
/// <list type="bullet">
/// <item>Go's generated marshallers write every non-pointer field, so zero values (<c>""</c>, 0, false, a zero
///   Time) are dropped as a JSON client would omit them; pointer fields (<see cref="Field.Keep"/>) keep theirs
///   (<c>replicas: 0</c>).</item>
/// <item>Embedded structs that JSON inlines (LocalObjectReference, ProbeHandler, VolumeSource) are merged
///   into their parent (<see cref="Field.Inline"/>).</item>
/// <item>A field the tables do not know that carries a value is refused with 415 rather than dropped;
///   other kinds are refused with 415 too, as a server without that codec would.</item>
/// </list>
/// </summary>
internal static partial class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private enum Kind
    {
        String,
        Bytes,
        Int64,
        Bool,
        Message,
        MapStringString,
        MapStringBytes,
        MapStringQuantity,
        Time,
        IntOrString,
        Quantity,
    }

    /// <summary>One field of a message: its JSON name and how it is encoded.</summary>
    private sealed record Field(string Name, Kind Kind, bool Repeated = false, Func<Schema>? Message = null, bool Keep = false, bool Inline = false);

    /// <summary>A message type: its name (for errors) and fields by number.</summary>
    private sealed record Schema(string Name, IReadOnlyDictionary<int, Field> Fields);

    private sealed class UnsupportedFieldException(string message) : Exception(message);

    private static Field S(string name, bool keep = false) => new(name, Kind.String, Keep: keep);

    private static Field Strings(string name) => new(name, Kind.String, Repeated: true);

    private static Field I(string name, bool keep = false) => new(name, Kind.Int64, Keep: keep);

    private static Field B(string name, bool keep = false) => new(name, Kind.Bool, Keep: keep);

    private static Field M(string name, Func<Schema> schema, bool repeated = false, bool inline = false) => new(name, Kind.Message, repeated, schema, Inline: inline);

    private static Schema? SchemaOf(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("v1", "Namespace") => Namespace,
        ("v1", "ConfigMap") => ConfigMap,
        ("v1", "Secret") => Secret,
        ("v1", "Service") => Service,
        ("v1", "Pod") => Pod,
        ("apps/v1", "Deployment") => Deployment,
        ("rbac.authorization.k8s.io/v1", "Role") => Role,
        ("rbac.authorization.k8s.io/v1", "ClusterRole") => ClusterRole,
        ("rbac.authorization.k8s.io/v1", "RoleBinding" or "ClusterRoleBinding") => RoleBinding,
        _ => null,
    };

    public static (JsonObject? Object, ApiError? Error) Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4 || !body[..4].SequenceEqual("k8s\0"u8))
        {
            return (null, ApiError.BadRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"));
        }

        try
        {
            var reader = new Reader(body[4..].ToArray());
            string apiVersion = "", kind = "";
            byte[] raw = [];
            while (reader.More)
            {
                var (number, wire) = reader.Tag();
                switch (number)
                {
                    case 1:
                        var typeMeta = new Reader(reader.LengthDelimited());
                        while (typeMeta.More)
                        {
                            var (n, w) = typeMeta.Tag();
                            if (n == 1) { apiVersion = typeMeta.String(); }
                            else if (n == 2) { kind = typeMeta.String(); }
                            else { typeMeta.Skip(w); }
                        }

                        break;
                    case 2:
                        raw = reader.LengthDelimited();
                        break;
                    default:
                        reader.Skip(wire);
                        break;
                }
            }

            if (SchemaOf(apiVersion, kind) is not { } schema)
            {
                return (null, ApiError.UnsupportedMediaType(MediaType, ["application/json", "application/yaml"]));
            }

            var obj = ReadMessage(new Reader(raw), schema);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return (obj, null);
        }
        catch (UnsupportedFieldException e)
        {
            return (null, new ApiError(415, "UnsupportedMediaType", $"{e.Message}; send the object as application/json"));
        }
        catch (FormatException e)
        {
            return (null, ApiError.BadRequest($"unable to decode protobuf body: {e.Message}"));
        }
    }

    private static JsonObject ReadMessage(Reader reader, Schema schema)
    {
        var obj = new JsonObject();
        while (reader.More)
        {
            var (number, wire) = reader.Tag();
            if (!schema.Fields.TryGetValue(number, out var field))
            {
                if (reader.SkipReportingContent(wire))
                {
                    throw new UnsupportedFieldException($"protobuf field {number} of {schema.Name} is not decoded by this server");
                }

                continue;
            }

            if (field.Kind is Kind.MapStringString or Kind.MapStringBytes or Kind.MapStringQuantity)
            {
                ReadMapEntry(reader, field, obj);
                continue;
            }

            JsonNode? value = field.Kind switch
            {
                Kind.String => reader.String(),
                Kind.Bytes => Convert.ToBase64String(reader.LengthDelimited()),
                Kind.Int64 => (long)reader.Varint(),
                Kind.Bool => reader.Varint() != 0,
                Kind.Message => ReadMessage(new Reader(reader.LengthDelimited()), field.Message!()),
                Kind.Time => ReadTime(new Reader(reader.LengthDelimited())),
                Kind.IntOrString => ReadIntOrString(new Reader(reader.LengthDelimited())),
                Kind.Quantity => ReadQuantity(new Reader(reader.LengthDelimited())),
                _ => null,
            };

            if (field.Inline && value is JsonObject inlined)
            {
                foreach (var (key, inner) in inlined.ToList())
                {
                    inlined.Remove(key);
                    obj[key] = inner;
                }
            }
            else if (field.Repeated)
            {
                if (obj[field.Name] is not JsonArray list)
                {
                    list = [];
                    obj[field.Name] = list;
                }

                list.Add(value);
            }
            else if (field.Keep || !IsZero(value))
            {
                obj[field.Name] = value;
            }
        }

        return obj;
    }

    /// <summary>Go's zero values, which its marshallers write for non-pointer fields and JSON clients omit.</summary>
    private static bool IsZero(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<long>(out var l) => l == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        _ => false,
    };

    private static void ReadMapEntry(Reader reader, Field field, JsonObject obj)
    {
        var entry = new Reader(reader.LengthDelimited());
        string key = "";
        JsonNode? value = "";
        while (entry.More)
        {
            var (n, w) = entry.Tag();
            if (n == 1) { key = entry.String(); }
            else if (n == 2)
            {
                value = field.Kind switch
                {
                    Kind.MapStringString => entry.String(),
                    Kind.MapStringBytes => Convert.ToBase64String(entry.LengthDelimited()),
                    _ => ReadQuantity(new Reader(entry.LengthDelimited())),
                };
            }
            else { entry.Skip(w); }
        }

        if (obj[field.Name] is not JsonObject map)
        {
            map = new JsonObject();
            obj[field.Name] = map;
        }

        map[key] = value;
    }

    /// <summary>meta/v1 Time {seconds=1, nanos=2}; the zero time is Go's unset one (JSON <c>null</c>).</summary>
    private static JsonNode? ReadTime(Reader reader)
    {
        long seconds = 0;
        while (reader.More)
        {
            var (n, w) = reader.Tag();
            if (n == 1) { seconds = (long)reader.Varint(); }
            else { reader.Skip(w); }
        }

        return seconds == 0 ? null : Meta.Timestamp(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>intstr.IntOrString {type=1 (0 int, 1 string), intVal=2, strVal=3}.</summary>
    private static JsonNode ReadIntOrString(Reader reader)
    {
        long type = 0, number = 0;
        var text = "";
        while (reader.More)
        {
            var (n, w) = reader.Tag();
            switch (n)
            {
                case 1: type = (long)reader.Varint(); break;
                case 2: number = (int)reader.Varint(); break;
                case 3: text = reader.String(); break;
                default: reader.Skip(w); break;
            }
        }

        return type == 1 ? JsonValue.Create(text) : JsonValue.Create(number);
    }

    /// <summary>resource.Quantity {string=1}, written as its string.</summary>
    private static JsonNode ReadQuantity(Reader reader)
    {
        var text = "";
        while (reader.More)
        {
            var (n, w) = reader.Tag();
            if (n == 1) { text = reader.String(); }
            else { reader.Skip(w); }
        }

        return text;
    }

    /// <summary>Protocol buffers wire format: varints, length-delimited fields, and skipping of the rest.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _pos;

        public bool More => _pos < data.Length;

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= data.Length)
                {
                    throw new FormatException("truncated varint");
                }

                var b = data[_pos++];
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new FormatException("varint too long");
        }

        public (int Number, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public byte[] LengthDelimited()
        {
            var length = (int)Varint();
            if (length < 0 || _pos + length > data.Length)
            {
                throw new FormatException("truncated field");
            }

            var bytes = data[_pos..(_pos + length)];
            _pos += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(LengthDelimited());

        public void Skip(int wire) => SkipReportingContent(wire);

        /// <summary>Skips a field; true when it held something other than a zero value or an empty message.</summary>
        public bool SkipReportingContent(int wire)
        {
            switch (wire)
            {
                case 0: return Varint() != 0;
                case 1: _pos += 8; return true;
                case 2: return LengthDelimited().Length > 0;
                case 5: _pos += 4; return true;
                default: throw new FormatException($"unsupported wire type {wire}");
            }
        }
    }
}
