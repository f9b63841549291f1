using System.Buffers;
using System.Globalization;
using System.Text;

namespace TunnelOperator.ControlPlane.Workloads.Logs;

/// <summary>
/// Writes one run of a container's stdout and stderr into its log file in the CRI logging format
/// (<c>&lt;RFC 3339 nanosecond time&gt; &lt;stdout|stderr&gt; &lt;F|P&gt; &lt;text&gt;</c>, one record per line;
/// P marks a piece of a line longer than 16 KiB, as containerd splits them). Followers of the file
/// (<c>kubectl logs -f</c>) wait on <see cref="Changed"/> and stop once <see cref="Closed"/>.
/// </summary>
internal sealed class ContainerLogWriter : IAsyncDisposable
{
    private const int MaxLine = 16 * 1024;
    private readonly FileStream _file;
    private readonly TimeProvider _time;
    private readonly Action<ContainerLogWriter> _onClose;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closed;

    public ContainerLogWriter(string path, TimeProvider time, Action<ContainerLogWriter> onClose)
    {
        Path = path;
        _time = time;
        _onClose = onClose;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    public bool Closed => Volatile.Read(ref _closed) == 1;

    /// <summary>Completes at the next write or at close.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Copies both streams into the log until both end.</summary>
    public Task PumpAsync(Stream stdout, Stream stderr, CancellationToken ct) =>
        Task.WhenAll(PumpAsync(stdout, "stdout", ct), PumpAsync(stderr, "stderr", ct));

    private async Task PumpAsync(Stream source, string stream, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxLine);
        var line = new MemoryStream();
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer, ct);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                var span = buffer.AsMemory(0, read);
                while (span.Length > 0)
                {
                    var newline = span.Span.IndexOf((byte)'\n');
                    var take = newline < 0 ? span.Length : newline;
                    var room = MaxLine - (int)line.Length;
                    if (take > room)
                    {
                        line.Write(span.Span[..room]);
                        await WriteRecordAsync(stream, partial: true, line);
                        span = span[room..];
                        continue;
                    }

                    line.Write(span.Span[..take]);
                    span = span[take..];
                    if (newline >= 0)
                    {
                        await WriteRecordAsync(stream, partial: false, line);
                        span = span[1..];
                    }
                }
            }

            if (line.Length > 0)
            {
                await WriteRecordAsync(stream, partial: false, line);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteRecordAsync(string stream, bool partial, MemoryStream line)
    {
        var prefix = Encoding.ASCII.GetBytes($"{Timestamp(_time.GetUtcNow())} {stream} {(partial ? 'P' : 'F')} ");
        var record = new byte[prefix.Length + line.Length + 1];
        prefix.CopyTo(record, 0);
        line.GetBuffer().AsSpan(0, (int)line.Length).CopyTo(record.AsSpan(prefix.Length));
        record[^1] = (byte)'\n';
        line.SetLength(0);
        await _writeLock.WaitAsync();
        try
        {
            if (Closed)
            {
                return;
            }

            // One write per record, so a reader never sees half of one followed by another.
            await _file.WriteAsync(record);
            await _file.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }

        Notify();
    }

    /// <summary>RFC 3339 with nanoseconds, as containerd writes (Go's RFC3339Nano trims trailing zeros; nine digits read the same).</summary>
    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    private void Notify() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1)
        {
            return;
        }

        await _writeLock.WaitAsync();
        try
        {
            await _file.DisposeAsync();
        }
        finally
        {
            _writeLock.Release();
        }

        _onClose(this);
        Notify();
    }
}
