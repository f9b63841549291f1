using System.Buffers;

namespace TunnelOperator.Mux.Transport;

/// <summary>
/// Fixed-size blocks for the per-stream receive buffers. A Pipe on the default pool doubles
/// each new segment while data accumulates, so a busy stream's buffer grows into MiB-sized
/// arrays that the shared ArrayPool rarely hands back out; fixed 64 KiB blocks keep
/// recycling through the pool's well-stocked bucket instead.
/// </summary>
internal sealed class BlockPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    public static readonly BlockPool Instance = new();

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        return new Block(ArrayPool<byte>.Shared.Rent(BlockSize));
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Block(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } array)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }
}
