using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>application/vnd.kubernetes.protobuf</c>) for the kinds
/// kubectl creates through its typed clients (<c>kubectl create namespace|configmap|secret</c>), which send
/// protobuf whatever the server prefers. The envelope is the magic <c>k8s\0</c> followed by a
/// runtime.Unknown {typeMeta=1 {apiVersion=1, kind=2}, raw=2}; raw is the object in the field numbering of
/// k8s.io/api's generated.proto. Other kinds are refused with 415, as a server without that codec would.
/// </summary>
internal static class ProtobufBody
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
        Time,
    }

    private sealed record Field(string Name, Kind Kind, bool Repeated = false, Func<IReadOnlyDictionary<int, Field>>? Message = null);

    private static readonly IReadOnlyDictionary<int, Field> OwnerReference = new Dictionary<int, Field>
    {
        [1] = new("kind", Kind.String), [3] = new("name", Kind.String), [4] = new("uid", Kind.String), [5] = new("apiVersion", Kind.String),
        [6] = new("controller", Kind.Bool), [7] = new("blockOwnerDeletion", Kind.Bool),
    };

    private static readonly IReadOnlyDictionary<int, Field> ObjectMeta = new Dictionary<int, Field>
    {
        [1] = new("name", Kind.String), [2] = new("generateName", Kind.String), [3] = new("namespace", Kind.String),
        [5] = new("uid", Kind.String), [6] = new("resourceVersion", Kind.String), [7] = new("generation", Kind.Int64),
        [8] = new("creationTimestamp", Kind.Time), [9] = new("deletionTimestamp", Kind.Time), [10] = new("deletionGracePeriodSeconds", Kind.Int64),
        [11] = new("labels", Kind.MapStringString), [12] = new("annotations", Kind.MapStringString),
        [13] = new("ownerReferences", Kind.Message, Repeated: true, () => OwnerReference), [14] = new("finalizers", Kind.String, Repeated: true),
    };

    private static readonly Dictionary<(string ApiVersion, string Kind), IReadOnlyDictionary<int, Field>> Kinds = new()
    {
        [("v1", "Namespace")] = new Dictionary<int, Field>
        {
            [1] = new("metadata", Kind.Message, Message: () => ObjectMeta),
            [2] = new("spec", Kind.Message, Message: () => new Dictionary<int, Field> { [1] = new("finalizers", Kind.String, Repeated: true) }),
        },
        [("v1", "ConfigMap")] = new Dictionary<int, Field>
        {
            [1] = new("metadata", Kind.Message, Message: () => ObjectMeta), [2] = new("data", Kind.MapStringString),
            [3] = new("binaryData", Kind.MapStringBytes), [4] = new("immutable", Kind.Bool),
        },
        [("v1", "Secret")] = new Dictionary<int, Field>
        {
            [1] = new("metadata", Kind.Message, Message: () => ObjectMeta), [2] = new("data", Kind.MapStringBytes),
            [3] = new("type", Kind.String), [4] = new("stringData", Kind.MapStringString), [5] = new("immutable", Kind.Bool),
        },
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

            if (!Kinds.TryGetValue((apiVersion, kind), out var schema))
            {
                return (null, ApiError.UnsupportedMediaType(MediaType, ["application/json", "application/yaml"]));
            }

            var obj = ReadMessage(new Reader(raw), schema);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return (obj, null);
        }
        catch (FormatException e)
        {
            return (null, ApiError.BadRequest($"unable to decode protobuf body: {e.Message}"));
        }
    }

    private static JsonObject ReadMessage(Reader reader, IReadOnlyDictionary<int, Field> schema)
    {
        var obj = new JsonObject();
        while (reader.More)
        {
            var (number, wire) = reader.Tag();
            if (!schema.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
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
                _ => null,
            };
            if (field.Kind is Kind.MapStringString or Kind.MapStringBytes)
            {
                var entry = new Reader(reader.LengthDelimited());
                string key = "";
                JsonNode? entryValue = "";
                while (entry.More)
                {
                    var (n, w) = entry.Tag();
                    if (n == 1) { key = entry.String(); }
                    else if (n == 2) { entryValue = field.Kind == Kind.MapStringString ? entry.String() : Convert.ToBase64String(entry.LengthDelimited()); }
                    else { entry.Skip(w); }
                }

                if (obj[field.Name] is not JsonObject map)
                {
                    map = new JsonObject();
                    obj[field.Name] = map;
                }

                map[key] = entryValue;
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
            else if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || text.Length > 0)
            {
                // Empty strings are Go's omitted zero values; JSON clients never send them.
                obj[field.Name] = value;
            }
        }

        return obj;
    }

    private static JsonNode ReadTime(Reader reader)
    {
        long seconds = 0;
        while (reader.More)
        {
            var (n, w) = reader.Tag();
            if (n == 1) { seconds = (long)reader.Varint(); }
            else { reader.Skip(w); }
        }

        return Meta.Timestamp(DateTimeOffset.FromUnixTimeSeconds(seconds));
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

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _pos += 8; break;
                case 2: LengthDelimited(); break;
                case 5: _pos += 4; break;
                default: throw new FormatException($"unsupported wire type {wire}");
            }
        }
    }
}
