using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Bulk;

/// <summary>
/// <see cref="MuxStream.CopyToAsync(Stream, int, CancellationToken)"/> writes straight from the
/// stream's receive buffer: every byte must arrive once, in order, and window updates must keep
/// a transfer many times the window going.
/// </summary>
[Collection(nameof(BulkCollection))]
public sealed class CopyToTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(7 * 1024)]
    public async Task CopyTo_256MiB_OverLoopbackTcp_ArrivesIntact(int writeSize)
    {
        const long Total = 256 * MiB;
        var (clientStream, serverStream) = await LoopbackTcp.CreatePairAsync();
        await using var client = MuxSession.CreateClient(clientStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        await using var server = MuxSession.CreateServer(serverStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);

        var sender = await client.OpenStreamAsync(Within.Token);
        var receiving = Task.Run(async () =>
        {
            var receiver = await server.AcceptStreamAsync(Within.Token);
            Assert.NotNull(receiver);
            await using (receiver)
            {
                var sink = new VerifyingSink(seed: 11, writeSize);
                await receiver.CopyToAsync(sink, Within.Token);
                return sink.Count;
            }
        });

        await using (sender)
        {
            await Payload.WriteBlocksAsync(sender, Total, seed: 11, chunk: 256 * 1024);
            await sender.CompleteWritesAsync(Within.Token);
            Assert.Equal(Total, await receiving);
        }
    }

    [Fact]
    public async Task CopyTo_AfterAReset_ThrowsMuxException_AfterTheDataThatArrived()
    {
        var (clientStream, serverStream) = await LoopbackTcp.CreatePairAsync();
        await using var client = MuxSession.CreateClient(clientStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        await using var server = MuxSession.CreateServer(serverStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        var sender = await client.OpenStreamAsync(Within.Token);
        await sender.WriteAsync(new byte[] { 1, 2, 3 }, Within.Token);
        var receiver = await server.AcceptStreamAsync(Within.Token);
        Assert.NotNull(receiver);
        var sink = new RecordingSink();
        var copying = receiver.CopyToAsync(sink, Within.Token);
        await sink.FirstWrite.Task.Bound();
        sender.Abort();

        await Assert.ThrowsAsync<MuxException>(() => copying.Bound());
        Assert.Equal(new byte[] { 1, 2, 3 }, sink.Written.ToArray());
    }

    /// <summary>A write-only stream that checks every byte against the shared pattern of a seed.</summary>
    private sealed class VerifyingSink(int seed, int maxWrite) : WriteOnlyStream
    {
        public long Count { get; private set; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // Checked in slices of at most maxWrite, as a destination that takes less than it is offered would.
            while (!buffer.IsEmpty)
            {
                var slice = buffer[..Math.Min(buffer.Length, maxWrite)];
                Payload.CheckBlocks(seed, Count, slice.Span);
                Count += slice.Length;
                buffer = buffer[slice.Length..];
                await Task.Yield();
            }
        }
    }

    /// <summary>Keeps what is written and signals the first write.</summary>
    private sealed class RecordingSink : WriteOnlyStream
    {
        public MemoryStream Written { get; } = new();

        public TaskCompletionSource FirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            FirstWrite.TrySetResult();
            return ValueTask.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            Written.Dispose();
            base.Dispose(disposing);
        }
    }

    private abstract class WriteOnlyStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
