using System.IO.Pipelines;

namespace TunnelOperator.Mux.Tests.Support;

internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;

    /// <summary>Two ends of an in-memory connection: what one writes, the other reads.</summary>
    public static (IDuplexPipe A, IDuplexPipe B) CreatePair(PipeOptions? options = null)
    {
        options ??= new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false);
        var ab = new Pipe(options);
        var ba = new Pipe(options);
        return (new DuplexPipe(ba.Reader, ab.Writer), new DuplexPipe(ab.Reader, ba.Writer));
    }

    public static IDuplexPipe FromStream(Stream stream) =>
        new DuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
}
