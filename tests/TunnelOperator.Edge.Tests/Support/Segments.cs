using System.Buffers;

namespace TunnelOperator.Edge.Tests.Support;

/// <summary>Builds multi-segment sequences so that parsers see input split across buffers.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at) =>
        Build([bytes.AsMemory(0, at), bytes.AsMemory(at)]);

    public static ReadOnlySequence<byte> RandomChunks(byte[] bytes, Random random)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = Math.Min(bytes.Length - offset, random.Next(1, 17));
            chunks.Add(bytes.AsMemory(offset, length));
            offset += length;
        }

        return Build(chunks);
    }

    private static ReadOnlySequence<byte> Build(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
