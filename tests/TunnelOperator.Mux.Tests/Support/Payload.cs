namespace TunnelOperator.Mux.Tests.Support;

/// <summary>Deterministic test data and the helpers to send and check it.</summary>
internal static class Payload
{
    /// <summary>Bytes from a seeded xorshift32; the same as <c>pattern</c> in the Go test peer.</summary>
    public static byte[] Pattern(int seed, int size)
    {
        var data = new byte[size];
        Fill(seed, data);
        return data;
    }

    public static void Fill(int seed, Span<byte> data)
    {
        var state = unchecked((uint)seed * 2654435761u + 1);
        for (var i = 0; i < data.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            data[i] = (byte)state;
        }
    }

    /// <summary>One read of up to 16 bytes; for asserting what a read does.</summary>
    public static async Task<int> ReadOnceAsync(Stream stream) => await stream.ReadAsync(new byte[16], Within.Token);

    /// <summary>Reads until EOF, returning everything.</summary>
    public static async Task<byte[]> ReadToEndAsync(Stream stream, int bufferSize = 16 * 1024)
    {
        using var collected = new MemoryStream();
        var buffer = new byte[bufferSize];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, Within.Token);
            if (read == 0)
            {
                return collected.ToArray();
            }

            collected.Write(buffer, 0, read);
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, Within.Token);
        return buffer;
    }

    // One repeating block of pattern bytes shared by all streams (each starts at its own
    // offset), so the tests' own data does not weigh on the memory they measure. Its length
    // is not a power of two, so a lost, repeated or reordered chunk shows up as a mismatch.
    private static readonly byte[] SharedBlock = Pattern(0, (1024 * 1024) + 17);

    private static int StartOffset(int seed) => (int)((uint)seed * 7919u % (uint)SharedBlock.Length);

    /// <summary>Writes <paramref name="total"/> bytes of the shared block, repeated from the seed's offset, in writes of <paramref name="chunk"/> bytes.</summary>
    public static async Task WriteBlocksAsync(Stream stream, long total, int seed, int chunk = 64 * 1024)
    {
        var block = SharedBlock;
        long sent = 0;
        var offset = StartOffset(seed);
        while (sent < total)
        {
            var length = (int)Math.Min(Math.Min(chunk, total - sent), block.Length - offset);
            await stream.WriteAsync(block.AsMemory(offset, length), Within.Token);
            sent += length;
            offset = (offset + length) % block.Length;
        }
    }

    /// <summary>Fills <paramref name="data"/> with what <see cref="WriteBlocksAsync"/> sends for <paramref name="seed"/> at <paramref name="position"/>.</summary>
    public static void FillBlocks(int seed, long position, Span<byte> data)
    {
        var block = SharedBlock;
        var offset = (int)((StartOffset(seed) + position) % block.Length);
        var filled = 0;
        while (filled < data.Length)
        {
            var length = Math.Min(data.Length - filled, block.Length - offset);
            block.AsSpan(offset, length).CopyTo(data[filled..]);
            filled += length;
            offset = (offset + length) % block.Length;
        }
    }

    /// <summary>
    /// Checks <paramref name="data"/> against what <see cref="WriteBlocksAsync"/> sends for
    /// <paramref name="seed"/> starting <paramref name="position"/> bytes into the stream.
    /// </summary>
    public static void CheckBlocks(int seed, long position, ReadOnlySpan<byte> data)
    {
        var block = SharedBlock;
        var offset = (int)((StartOffset(seed) + position) % block.Length);
        var checkedBytes = 0;
        while (checkedBytes < data.Length)
        {
            var length = Math.Min(data.Length - checkedBytes, block.Length - offset);
            if (!data.Slice(checkedBytes, length).SequenceEqual(block.AsSpan(offset, length)))
            {
                throw new Xunit.Sdk.XunitException($"stream {seed}: wrong bytes near offset {position + checkedBytes}");
            }

            checkedBytes += length;
            offset = (offset + length) % block.Length;
        }
    }

    /// <summary>
    /// Reads to EOF, comparing every byte with what <see cref="WriteBlocksAsync"/> sends for
    /// <paramref name="seed"/>; returns the count, or throws at the first wrong byte.
    /// </summary>
    public static async Task<long> ReadVerifiedAsync(Stream stream, int seed, int bufferSize = 64 * 1024, Action<long>? progress = null)
    {
        var buffer = new byte[bufferSize];
        long count = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, Within.Token);
            if (read == 0)
            {
                return count;
            }

            CheckBlocks(seed, count, buffer.AsSpan(0, read));
            count += read;
            progress?.Invoke(count);
        }
    }
}
