using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Bulk;

/// <summary>
/// Large transfers, every byte compared with what was sent, with memory checked against
/// the data size. Throughput is printed for the report; no assertion depends on timing.
/// </summary>
public sealed class BulkTransferTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task OneStream_256MiB_OverLoopbackTcp_ArrivesIntact_WithBoundedMemory()
    {
        const long Total = 256 * MiB;
        var (clientStream, serverStream) = await LoopbackTcp.CreatePairAsync();
        await using var client = MuxSession.CreateClient(clientStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        await using var server = MuxSession.CreateServer(serverStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        var baseline = Memory.Sample();
        var peak = baseline;

        var elapsed = await TransferAsync(client, server, Total, seed: 7, _ => peak = Memory.Max(peak));

        Report("one stream, loopback TCP", Total, elapsed);
        var grown = peak.Managed - baseline.Managed;
        TestContext.Current.TestOutputHelper?.WriteLine($"managed heap grew by at most {grown / MiB} MiB; working set peak {peak.WorkingSet / MiB} MiB (baseline {baseline.WorkingSet / MiB} MiB)");
        Assert.True(grown < Total / 4, $"the managed heap grew by {grown / MiB} MiB while moving {Total / MiB} MiB");
        Assert.True(peak.WorkingSet - baseline.WorkingSet < Total / 2, $"the working set grew by {(peak.WorkingSet - baseline.WorkingSet) / MiB} MiB");
    }

    [Fact]
    public async Task ThirtyTwoStreams_8MiBEach_InParallel_OverLoopbackTcp_EachArrivesIntact()
    {
        const int Streams = 32;
        const long Each = 8 * MiB;
        var (clientStream, serverStream) = await LoopbackTcp.CreatePairAsync();
        await using var client = MuxSession.CreateClient(clientStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        await using var server = MuxSession.CreateServer(serverStream, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        var baseline = Memory.Sample();
        var peak = baseline;
        var gate = new Lock();
        var watch = Stopwatch.StartNew();

        // The server checks whatever each stream carries against the pattern of its id.
        var receiving = Task.Run(async () =>
        {
            var counts = new List<Task<(uint Id, long Count)>>();
            for (var i = 0; i < Streams; i++)
            {
                var stream = await server.AcceptStreamAsync(Within.Token);
                Assert.NotNull(stream);
                counts.Add(Task.Run(async () =>
                {
                    await using (stream)
                    {
                        // Client stream ids are 1, 3, 5...; the sender seeds each with its id.
                        var count = await Payload.ReadVerifiedAsync(stream, seed: (int)stream.Id);
                        if (stream.Id % 8 == 1)
                        {
                            lock (gate)
                            {
                                peak = Memory.Max(peak);
                            }
                        }

                        return (stream.Id, count);
                    }
                }));
            }

            return (await Task.WhenAll(counts)).ToDictionary(c => c.Id, c => c.Count);
        });

        await Task.WhenAll(Enumerable.Range(0, Streams).Select(async _ =>
        {
            await using var stream = await client.OpenStreamAsync(Within.Token);
            await Payload.WriteBlocksAsync(stream, Each, seed: (int)stream.Id);
            await stream.CompleteWritesAsync(Within.Token);
        })).WaitAsync(TimeSpan.FromSeconds(60), Within.Token);
        var received = await receiving.WaitAsync(TimeSpan.FromSeconds(60), Within.Token);

        Report($"{Streams} parallel streams, loopback TCP", Streams * Each, watch.Elapsed);
        Assert.Equal(Streams, received.Count);
        Assert.All(received.Values, count => Assert.Equal(Each, count));

        // Flow control bounds what the session buffers by the windows, whatever the data size.
        var bound = (Streams * (long)MuxOptions.Default.ReceiveWindow) + (16 * MiB);
        TestContext.Current.TestOutputHelper?.WriteLine($"managed heap grew by at most {(peak.Managed - baseline.Managed) / MiB} MiB (bound {bound / MiB} MiB)");
        Assert.True(peak.Managed - baseline.Managed < bound, $"the managed heap grew by {(peak.Managed - baseline.Managed) / MiB} MiB");
    }

    [Fact]
    public async Task OneStream_256MiB_OverInMemoryPipes_ArrivesIntact()
    {
        const long Total = 256 * MiB;
        var pipeOptions = new PipeOptions(pauseWriterThreshold: 4 * MiB, resumeWriterThreshold: 2 * MiB, useSynchronizationContext: false);
        var (clientEnd, serverEnd) = DuplexPipe.CreatePair(pipeOptions);
        await using var client = MuxSession.CreateClient(clientEnd, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);
        await using var server = MuxSession.CreateServer(serverEnd, MuxOptions.Default, TimeProvider.System, NullLogger.Instance);

        var elapsed = await TransferAsync(client, server, Total, seed: 3, null);

        Report("one stream, in-memory pipes", Total, elapsed);
    }

    /// <summary>Opens a stream, sends <paramref name="total"/> bytes in 256 KiB writes, half-closes; the other side checks every byte to EOF.</summary>
    private static async Task<TimeSpan> TransferAsync(MuxSession from, MuxSession to, long total, int seed, Action<long>? progress)
    {
        var watch = Stopwatch.StartNew();
        var sender = await from.OpenStreamAsync(Within.Token);
        var receiving = Task.Run(async () =>
        {
            var receiver = await to.AcceptStreamAsync(Within.Token);
            Assert.NotNull(receiver);
            await using (receiver)
            {
                long sampled = 0;
                return await Payload.ReadVerifiedAsync(receiver, seed, 256 * 1024, count =>
                {
                    if (count - sampled >= 64 * MiB)
                    {
                        sampled = count;
                        progress?.Invoke(count);
                    }
                });
            }
        });

        await using (sender)
        {
            await Payload.WriteBlocksAsync(sender, total, seed, chunk: 256 * 1024);
            await sender.CompleteWritesAsync(Within.Token);
            Assert.Equal(total, await receiving.WaitAsync(TimeSpan.FromSeconds(60), Within.Token));
        }

        return watch.Elapsed;
    }

    private static void Report(string what, long bytes, TimeSpan elapsed) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: {bytes / MiB} MiB in {elapsed.TotalSeconds:F2} s = {bytes / MiB / elapsed.TotalSeconds:F0} MiB/s");

    private readonly record struct Memory(long Managed, long WorkingSet)
    {
        // The live heap, after a full collection: what the transfer holds, not garbage awaiting a GC.
        public static Memory Sample() => new(GC.GetTotalMemory(forceFullCollection: true), Environment.WorkingSet);

        public static Memory Max(Memory peak)
        {
            var now = Sample();
            return new Memory(Math.Max(peak.Managed, now.Managed), Math.Max(peak.WorkingSet, now.WorkingSet));
        }
    }
}
