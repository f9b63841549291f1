using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Logs;

/// <summary>
/// The kubelet's side of <c>GET pods/{name}/log</c>: finds the log file of a container's current (or
/// previous) run under the Pod's directory and streams it as plain text, following it while the process
/// runs. The API server's side (which container, is the pod bound) is in the HTTP handler.
/// </summary>
internal sealed class PodLogs
{
    private readonly PodPaths _paths;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ContainerLogWriter> _live = new(StringComparer.Ordinal);

    public PodLogs(PodPaths paths, TimeProvider time)
    {
        _paths = paths;
        _time = time;
    }

    /// <summary>A writer for a new run of a container; followers see it live until it is disposed.</summary>
    public ContainerLogWriter OpenWriter(string ns, string name, string container, int instance)
    {
        var path = _paths.Log(ns, name, container, instance);
        var writer = new ContainerLogWriter(path, _time, w => _live.TryRemove(new KeyValuePair<string, ContainerLogWriter>(w.Path, w)));
        _live[path] = writer;

        // The kubelet keeps the current and the previous run's logs only.
        foreach (var (old, oldPath) in _paths.LogFiles(ns, name, container))
        {
            if (old < instance - 1)
            {
                TryDelete(oldPath);
            }
        }

        return writer;
    }

    /// <summary>
    /// Checks the request against what is on disk and returns either the error kubelet would answer (400
    /// with its wording) or the function that streams the log.
    /// </summary>
    public (ApiError? Error, Func<Stream, CancellationToken, Task>? Stream) Open(JsonObject pod, LogRequest request)
    {
        var ns = Meta.Namespace(pod);
        var name = Meta.Name(pod);
        var uidFile = Path.Combine(_paths.Pod(ns, name), "uid");
        var files = File.Exists(uidFile) && File.ReadAllText(uidFile).Trim() == Meta.Uid(pod)
            ? _paths.LogFiles(ns, name, request.Container)
            : [];
        if (request.Previous)
        {
            return files.Count < 2
                ? (ApiError.BadRequest($"previous terminated container \"{request.Container}\" in pod \"{name}\" not found"), null)
                : (null, (output, ct) => StreamAsync(files[^2].Path, request, output, ct));
        }

        if (files.Count == 0)
        {
            var reason = WaitingReason(pod, request.Container) ?? "ContainerCreating";
            return (ApiError.BadRequest($"container \"{request.Container}\" in pod \"{name}\" is waiting to start: {reason}"), null);
        }

        return (null, (output, ct) => StreamAsync(files[^1].Path, request, output, ct));
    }

    private static string? WaitingReason(JsonObject pod, string container) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? [])
            .Concat(pod["status"]?["initContainerStatuses"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(s => Meta.Str(s["name"]) == container)
            .Select(s => Meta.Str(s["state"]?["waiting"]?["reason"]))
            .FirstOrDefault();

    private async Task StreamAsync(string path, LogRequest request, Stream output, CancellationToken ct)
    {
        _live.TryGetValue(path, out var writer);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var lines = new LineReader(file);
        var budget = request.LimitBytes ?? long.MaxValue;

        // What is there now: filtered by time, then the last tailLines of it.
        var changed = writer?.Changed;
        var initial = (await lines.ReadAvailableAsync(ct)).Select(Parse).Where(r => r is not null && Keep(r, request)).Select(r => r!).ToList();
        if (request.TailLines is { } tail && initial.Count > tail)
        {
            initial = initial[^(int)tail..];
        }

        budget = await WriteAsync(initial, request, output, budget, ct);
        if (!request.Follow || writer is null)
        {
            return;
        }

        while (budget > 0)
        {
            var closed = writer.Closed;
            var more = (await lines.ReadAvailableAsync(ct)).Select(Parse).Where(r => r is not null && Keep(r, request)).Select(r => r!).ToList();
            budget = await WriteAsync(more, request, output, budget, ct);
            if (closed)
            {
                return;
            }

            if (more.Count == 0)
            {
                await changed!.WaitAsync(ct);
                changed = writer.Changed;
            }
        }
    }

    private static bool Keep(Record record, LogRequest request) => request.Since is not { } since || record.Time >= since;

    private static async Task<long> WriteAsync(List<Record> records, LogRequest request, Stream output, long budget, CancellationToken ct)
    {
        if (records.Count == 0)
        {
            return budget;
        }

        var text = new StringBuilder();
        foreach (var r in records)
        {
            if (request.Timestamps)
            {
                text.Append(r.TimeText).Append(' ');
            }

            text.Append(r.Text);
            if (!r.Partial)
            {
                text.Append('\n');
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var length = (int)Math.Min(bytes.Length, budget);
        await output.WriteAsync(bytes.AsMemory(0, length), ct);
        await output.FlushAsync(ct);
        return budget - length;
    }

    private sealed record Record(DateTimeOffset Time, string TimeText, bool Partial, string Text);

    private static Record? Parse(string line)
    {
        // <time> <stream> <F|P> <text>
        var first = line.IndexOf(' ', StringComparison.Ordinal);
        var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        var third = second < 0 ? -1 : line.IndexOf(' ', second + 1);
        if (third < 0)
        {
            return null;
        }

        var timeText = line[..first];
        if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return null;
        }

        return new Record(time, timeText, line[(second + 1)..third] == "P", line[(third + 1)..]);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Complete lines from a file that may still be growing; a trailing piece waits for its newline.</summary>
    private sealed class LineReader(FileStream file)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly ArrayBufferWriter<byte> _pending = new();

        public async Task<List<string>> ReadAvailableAsync(CancellationToken ct)
        {
            var lines = new List<string>();
            int read;
            while ((read = await file.ReadAsync(_buffer, ct)) > 0)
            {
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (_buffer[i] != (byte)'\n')
                    {
                        continue;
                    }

                    _pending.Write(_buffer.AsSpan(start, i - start));
                    lines.Add(Encoding.UTF8.GetString(_pending.WrittenSpan));
                    _pending.ResetWrittenCount();
                    start = i + 1;
                }

                _pending.Write(_buffer.AsSpan(start, read - start));
            }

            return lines;
        }
    }
}
