using System.Security.Cryptography;

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

    /// <summary>Writes <paramref name="total"/> bytes of a repeating block, hashing what it sent.</summary>
    public static async Task<byte[]> WriteHashedAsync(Stream stream, long total, int seed, int chunk = 64 * 1024)
    {
        var block = Pattern(seed, 1024 * 1024 + 17); // not a power of two, so offsets shift between rounds
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long sent = 0;
        var offset = 0;
        while (sent < total)
        {
            var length = (int)Math.Min(Math.Min(chunk, total - sent), block.Length - offset);
            var slice = block.AsMemory(offset, length);
            await stream.WriteAsync(slice, Within.Token);
            hash.AppendData(slice.Span);
            sent += length;
            offset = (offset + length) % block.Length;
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Reads to EOF, hashing; returns the byte count and hash.</summary>
    public static async Task<(long Count, byte[] Hash)> ReadHashedAsync(Stream stream, int bufferSize = 64 * 1024, Action<long>? progress = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[bufferSize];
        long count = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer, Within.Token);
            if (read == 0)
            {
                return (count, hash.GetHashAndReset());
            }

            hash.AppendData(buffer, 0, read);
            count += read;
            progress?.Invoke(count);
        }
    }
}
