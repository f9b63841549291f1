using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads;

/// <summary>
/// Writes core/v1 Events the way client-go's recorder does: named <c>&lt;object&gt;.&lt;hex nanoseconds&gt;</c>,
/// with the reporting component as source, and a repeat of the same reason and message about the same
/// object bumping <c>count</c> and <c>lastTimestamp</c> of the existing Event instead of adding one.
/// Recording is best effort: a failed write is logged, never raised.
/// </summary>
internal sealed partial class EventRecorder : IDisposable
{
    private const int MaxRemembered = 4096;
    private readonly ClusterApi _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (string Namespace, string Name)> _seen = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _sequence;

    public EventRecorder(ClusterApi api, TimeProvider time, ILogger logger)
    {
        _api = api;
        _time = time;
        _logger = logger;
    }

    public Task NormalAsync(string component, string? host, JsonObject involved, string reason, string message, CancellationToken ct, string? fieldPath = null) =>
        RecordAsync(component, host, involved, "Normal", reason, message, fieldPath, ct);

    public Task WarningAsync(string component, string? host, JsonObject involved, string reason, string message, CancellationToken ct, string? fieldPath = null) =>
        RecordAsync(component, host, involved, "Warning", reason, message, fieldPath, ct);

    private async Task RecordAsync(string component, string? host, JsonObject involved, string type, string reason, string message, string? fieldPath, CancellationToken ct)
    {
        var ns = Meta.Namespace(involved);
        var key = string.Join('\u0000', Meta.Uid(involved), fieldPath, type, reason, message, component);
        var now = Meta.Timestamp(_time.GetUtcNow());
        await _lock.WaitAsync(ct);
        try
        {
            if (_seen.TryGetValue(key, out var existing))
            {
                var bumped = await _api.ModifyAsync(_api.Events, existing.Namespace, existing.Name, e =>
                {
                    e["count"] = (Meta.Long(e["count"]) ?? 1) + 1;
                    e["lastTimestamp"] = now;
                }, component, ct);
                if (bumped.Error is null)
                {
                    return;
                }
            }

            if (_seen.Count >= MaxRemembered)
            {
                _seen.Clear();
            }

            var name = $"{Meta.Name(involved)}.{(_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000) + (Interlocked.Increment(ref _sequence) % 1_000_000):x}";
            var reference = new JsonObject
            {
                ["kind"] = Meta.Str(involved["kind"]),
                ["namespace"] = ns,
                ["name"] = Meta.Name(involved),
                ["uid"] = Meta.Uid(involved),
                ["apiVersion"] = Meta.Str(involved["apiVersion"]),
                ["resourceVersion"] = Meta.ResourceVersion(involved),
            };
            if (fieldPath is not null)
            {
                reference["fieldPath"] = fieldPath;
            }

            var source = new JsonObject { ["component"] = component };
            if (host is not null)
            {
                source["host"] = host;
            }

            var ev = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns.Length == 0 ? "default" : ns },
                ["involvedObject"] = reference,
                ["reason"] = reason,
                ["message"] = message.Length > 1024 ? message[..1024] : message,
                ["source"] = source,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["reportingComponent"] = component,
                ["reportingInstance"] = host ?? "",
            };
            var created = await _api.CreateAsync(_api.Events, ns.Length == 0 ? "default" : ns, ev, component, ct);
            if (created.Error is { } error)
            {
                Log.EventFailed(_logger, reason, Meta.Name(involved), error.Message);
                return;
            }

            _seen[key] = (ns.Length == 0 ? "default" : ns, name);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Could not record event {Reason} about {Name}: {Error}")]
        public static partial void EventFailed(ILogger logger, string reason, string name, string error);
    }
}
