using System.IO.Pipelines;
using TunnelOperator.Mux.Tests.Support;

namespace TunnelOperator.Mux.Tests.Properties;

/// <summary>
/// Property: whatever the interleaving of opens, writes of any size, reads of any size,
/// zero-byte reads and half-closes on both sides, with any window and frame size, every
/// stream delivers exactly the bytes written, in order. Each case is driven by a seed; a
/// failure names it so the case can be replayed.
/// </summary>
public sealed class RandomInterleavingTests
{
    public static TheoryData<int> Seeds
    {
        get
        {
            var seeds = new TheoryData<int>();
            foreach (var seed in Enumerable.Range(1, 24))
            {
                seeds.Add(seed);
            }

            seeds.Add(Environment.TickCount & int.MaxValue); // a fresh case each run; its seed is in the test name
            return seeds;
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task RandomInterleavings_DeliverExactlyTheBytesWritten(int seed)
    {
        try
        {
            await RunCaseAsync(seed);
        }
        catch (Exception e) when (e is not OperationCanceledException || !Within.Token.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"seed {seed} failed (replay with RunCaseAsync({seed})): {e}");
        }
    }

    private static async Task RunCaseAsync(int seed)
    {
        var random = new Random(seed);
        var options = MuxOptions.Default with
        {
            ReceiveWindow = MuxOptions.InitialWindow + (random.Next(4) * 128 * 1024),
            MaxFrameSize = 1024 * random.Next(1, 65),
        };
        var threshold = 1024 * random.Next(16, 512);
        var pipeOptions = new PipeOptions(pauseWriterThreshold: threshold, resumeWriterThreshold: threshold / 2, useSynchronizationContext: false);
        await using var pair = await SessionPair.CreateAsync(TransportKind.Memory, options, options, pipeOptions: pipeOptions);

        var plans = Enumerable.Range(0, random.Next(1, 13)).Select(i => new StreamPlan(
            FromClient: random.Next(2) == 0,
            Up: random.Next(3) == 0 ? 0 : random.Next(1, 400_000),
            Down: random.Next(3) == 0 ? 0 : random.Next(1, 400_000),
            Seed: random.Next())).ToList();
        var clientOpens = plans.Count(p => p.FromClient);

        // Each side accepts what the other opens; the acceptor finds the stream's plan by its
        // id, which the opener publishes once it has opened the stream.
        var planById = new System.Collections.Concurrent.ConcurrentDictionary<uint, TaskCompletionSource<StreamPlan>>();
        TaskCompletionSource<StreamPlan> PlanFor(uint id) => planById.GetOrAdd(id, _ => new TaskCompletionSource<StreamPlan>(TaskCreationOptions.RunContinuationsAsynchronously));

        var acceptors = new[]
        {
            AcceptAllAsync(pair.Server, clientOpens, PlanFor, acceptedByServer: true),
            AcceptAllAsync(pair.Client, plans.Count - clientOpens, PlanFor, acceptedByServer: false),
        };
        var openers = plans.Select(async plan =>
        {
            var local = new Random(plan.Seed);
            await YieldSomeAsync(local);
            var stream = await (plan.FromClient ? pair.Client : pair.Server).OpenStreamAsync(Within.Token);
            PlanFor(stream.Id).TrySetResult(plan);
            await ExerciseAsync(stream, plan, opener: true, local);
        });

        await Task.WhenAll(openers.Concat(acceptors)).WaitAsync(TimeSpan.FromSeconds(30), Within.Token);
        Assert.Equal(0, pair.Client.StreamCount);
        Assert.Equal(0, pair.Server.StreamCount);
        Assert.False(pair.Client.IsClosed || pair.Server.IsClosed);
    }

    private static async Task AcceptAllAsync(MuxSession session, int count, Func<uint, TaskCompletionSource<StreamPlan>> planFor, bool acceptedByServer)
    {
        var served = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var stream = await session.AcceptStreamAsync(Within.Token);
            Assert.NotNull(stream);
            served.Add(Task.Run(async () =>
            {
                var plan = await planFor(stream.Id).Task;
                Assert.Equal(acceptedByServer, plan.FromClient);
                await ExerciseAsync(stream, plan, opener: false, new Random(plan.Seed ^ 0x5A5A5A5A));
            }));
        }

        await Task.WhenAll(served);
    }

    /// <summary>Writes this side's bytes and reads the other side's, concurrently, in random pieces.</summary>
    private static async Task ExerciseAsync(MuxStream stream, StreamPlan plan, bool opener, Random random)
    {
        var (sendCount, receiveCount) = opener ? (plan.Up, plan.Down) : (plan.Down, plan.Up);
        var sendSeed = opener ? plan.Seed : ~plan.Seed;
        var expected = Payload.Pattern(opener ? ~plan.Seed : plan.Seed, receiveCount);
        var writerRandom = new Random(random.Next());
        var readerRandom = new Random(random.Next());

        var writing = Task.Run(async () =>
        {
            var data = Payload.Pattern(sendSeed, sendCount);
            var sent = 0;
            while (sent < data.Length)
            {
                var size = Math.Min(data.Length - sent, writerRandom.Next(4) == 0 ? writerRandom.Next(1, 200_000) : writerRandom.Next(1, 5000));
                await stream.WriteAsync(data.AsMemory(sent, size), Within.Token);
                sent += size;
                await YieldSomeAsync(writerRandom);
            }

            await stream.CompleteWritesAsync(Within.Token);
        });

        var received = new byte[receiveCount];
        var total = 0;
        while (true)
        {
            if (readerRandom.Next(10) == 0)
            {
                Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty, Within.Token));
            }

            var room = Math.Max(1, readerRandom.Next(4) == 0 ? readerRandom.Next(1, 300_000) : readerRandom.Next(1, 3000));
            var buffer = new byte[room];
            var read = await stream.ReadAsync(buffer, Within.Token);
            if (read == 0)
            {
                break;
            }

            Assert.True(total + read <= receiveCount, $"stream {stream.Id} delivered more than {receiveCount} bytes");
            buffer.AsSpan(0, read).CopyTo(received.AsSpan(total));
            total += read;
            await YieldSomeAsync(readerRandom);
        }

        await writing;
        Assert.Equal(receiveCount, total);
        Assert.True(expected.AsSpan().SequenceEqual(received), $"stream {stream.Id}: the bytes differ from those written");
        await stream.DisposeAsync();
    }

    private static async Task YieldSomeAsync(Random random)
    {
        for (var i = random.Next(3); i > 0; i--)
        {
            await Task.Yield();
        }
    }

    private sealed record StreamPlan(bool FromClient, int Up, int Down, int Seed);
}
