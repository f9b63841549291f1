using System.Buffers;

namespace TunnelOperator.Mux.Tests.Framing;

/// <summary>Builds multi-segment sequences, the shape a pipe hands a parser after partial reads.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        var first = new Segments(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            var next = new Segments(part, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> Random(byte[] bytes, Random random)
    {
        List<byte[]> parts = [];
        var offset = 0;
        while (offset < bytes.Length)
        {
            // Mostly tiny chunks (headers straddle them), now and then an empty or a large one.
            var size = random.Next(10) switch
            {
                0 => 0,
                1 => random.Next(13, 100),
                _ => random.Next(1, 13),
            };
            size = Math.Min(size, bytes.Length - offset);
            parts.Add(bytes[offset..(offset + size)]);
            offset += size;
        }

        return parts.Count == 0 ? ReadOnlySequence<byte>.Empty : Of([.. parts]);
    }
}
