using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Watch;

/// <summary>
/// Reads the body of a watch: a stream of JSON objects <c>{"type": ..., "object": ...}</c>, one per
/// event, flushed as they happen (chunked on HTTP/1.1, DATA frames on HTTP/2). The API server
/// writes one per line, but the framing here does not rely on newlines: it finds each complete
/// top-level JSON value, so any whitespace between values is fine. An ERROR event ends the watch
/// with an exception; 410 becomes <see cref="ResourceVersionExpiredException"/>.
/// </summary>
internal sealed class WatchStreamReader<T> : IAsyncDisposable
    where T : class
{
    private const string InitialEventsEndAnnotation = "k8s.io/initial-events-end";

    private readonly PipeReader _pipe;
    private readonly Func<JsonElement, T> _decode;
    private readonly int _maxEventBytes;
    private readonly string _operation;

    public WatchStreamReader(Stream stream, Func<JsonElement, T> decode, int maxEventBytes, string operation)
    {
        _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: false));
        _decode = decode;
        _maxEventBytes = maxEventBytes;
        _operation = operation;
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async ValueTask<WatchEvent<T>?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryFrame(buffer, out var frame))
            {
                WatchEvent<T> next;
                try
                {
                    next = Decode(frame);
                }
                finally
                {
                    _pipe.AdvanceTo(frame.End);
                }

                return next;
            }

            if (result.IsCompleted)
            {
                // End of stream. A partial value at the end means the connection was cut mid-event;
                // as client-go does, that ends the watch like a clean close, and the caller re-watches.
                _pipe.AdvanceTo(buffer.End);
                return null;
            }

            if (buffer.Length > _maxEventBytes)
            {
                throw new InvalidDataException($"{_operation}: a watch event exceeds {_maxEventBytes} bytes");
            }

            _pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Finds the first complete top-level JSON value, leading whitespace included.</summary>
    internal static bool TryFrame(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        var reader = new Utf8JsonReader(buffer, isFinalBlock: false, state: default);
        try
        {
            if (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new InvalidDataException($"a watch event must be a JSON object, found {reader.TokenType}");
                }

                if (reader.TrySkip())
                {
                    frame = buffer.Slice(0, reader.BytesConsumed);
                    return true;
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("the watch stream is not valid JSON", e);
        }

        frame = default;
        return false;
    }

    private WatchEvent<T> Decode(ReadOnlySequence<byte> frame)
    {
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        var type = root.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        if (!root.TryGetProperty("object", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{_operation}: watch event '{type}' has no object");
        }

        switch (type)
        {
            case "ADDED":
                return Event(WatchEventType.Added, value);
            case "MODIFIED":
                return Event(WatchEventType.Modified, value);
            case "DELETED":
                return Event(WatchEventType.Deleted, value);
            case "BOOKMARK":
                var metadata = Metadata(value);
                return new WatchEvent<T>
                {
                    Type = WatchEventType.Bookmark,
                    ResourceVersion = ResourceVersion(metadata),
                    IsInitialEventsEnd = metadata is { } m
                        && m.TryGetProperty("annotations", out var annotations)
                        && annotations.ValueKind == JsonValueKind.Object
                        && annotations.TryGetProperty(InitialEventsEndAnnotation, out var end)
                        && end.ValueKind == JsonValueKind.String
                        && end.GetString() == "true",
                };
            case "ERROR":
                var status = value.Deserialize(KubernetesJsonContext.Default.Status) ?? new Status();
                throw ApiErrors.FromStatus(status, _operation);
            default:
                throw new InvalidDataException($"{_operation}: unknown watch event type '{type}'");
        }
    }

    private WatchEvent<T> Event(WatchEventType type, JsonElement value) => new()
    {
        Type = type,
        Object = _decode(value),
        ResourceVersion = ResourceVersion(Metadata(value)),
    };

    private static JsonElement? Metadata(JsonElement value) =>
        value.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? metadata : null;

    private static string? ResourceVersion(JsonElement? metadata) =>
        metadata is { } m && m.TryGetProperty("resourceVersion", out var rv) && rv.ValueKind == JsonValueKind.String ? rv.GetString() : null;

    public ValueTask DisposeAsync() => _pipe.CompleteAsync();
}
