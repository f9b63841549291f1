using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Sessions;

/// <summary>
/// The frame writer commits in groups: writes that queue while a flush is under way go out
/// together in the next flush, so concurrent streams share TLS records and send calls.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task WritesQueuedDuringAFlush_GoOutTogether_InOrderPerStream()
    {
        const int Streams = 16;
        var (clientSocket, serverStream) = await LoopbackTcp.CreatePairAsync();
        var gated = new GatedStream(clientSocket);
        await using var client = MuxSession.CreateClient(gated, MuxOptions.Default, TimeProvider.System, TestLogger.For("client"));
        await using var server = MuxSession.CreateServer(serverStream, MuxOptions.Default, TimeProvider.System, TestLogger.For("server"));
        var opened = new List<MuxStream>();
        var accepted = new List<MuxStream>();
        for (var i = 0; i < Streams; i++)
        {
            var stream = await client.OpenStreamAsync(Within.Token);
            await stream.WriteAsync(new byte[] { (byte)i }, Within.Token); // the SYN goes out with it
            opened.Add(stream);
            var other = await server.AcceptStreamAsync(Within.Token);
            Assert.NotNull(other);
            Assert.Equal(new byte[] { (byte)i }, await Payload.ReadExactlyAsync(other, 1));
            accepted.Add(other);
        }

        // The first write's flush is held at the transport; the other fifteen queue behind it
        // (a stream write queues its frames before it first awaits).
        var firstWrite = gated.HoldNextWrite();
        var writes = new List<Task>();
        for (var i = 0; i < Streams; i++)
        {
            writes.Add(opened[i].WriteAsync(new byte[] { 10, (byte)i, 11, (byte)i }, Within.Token).AsTask());
        }

        await firstWrite.Held.Task.Bound();
        var before = gated.Writes;
        firstWrite.Release();
        await Task.WhenAll(writes).Bound();

        // One write call for the held flush and one for everything queued behind it; without
        // grouping, each of the fifteen would have had its own.
        Assert.InRange(gated.Writes - before, 1, 2);
        for (var i = 0; i < Streams; i++)
        {
            Assert.Equal(new byte[] { 10, (byte)i, 11, (byte)i }, await Payload.ReadExactlyAsync(accepted[i], 4));
        }
    }

    /// <summary>Counts transport write calls and can hold one until released.</summary>
    private sealed class GatedStream(Stream inner) : Stream
    {
        private Hold? _hold;
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public Hold HoldNextWrite() => _hold = new Hold();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writes);
            if (Interlocked.Exchange(ref _hold, null) is { } hold)
            {
                hold.Held.TrySetResult();
                await hold.Released.Task.WaitAsync(cancellationToken);
            }

            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class Hold
    {
        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}
