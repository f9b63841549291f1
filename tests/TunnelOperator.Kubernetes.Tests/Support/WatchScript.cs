using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace TunnelOperator.Kubernetes.Tests.Support;

/// <summary>
/// What the fake server does with the next watch request: stream the lines the test sends, as
/// the test sends them, until it ends them; or refuse with a Status. The test awaits
/// <see cref="Opened"/> before sending and <see cref="Aborted"/> to see the client hang up.
/// </summary>
internal sealed class WatchScript
{
    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();

    public TaskCompletionSource<RecordedRequest> Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answer with this HTTP code and Status body instead of streaming.</summary>
    public (int Code, JsonObject Status)? Refusal { get; init; }

    public ValueTask SendAsync(string type, JsonNode value) =>
        Lines.Writer.WriteAsync(new JsonObject { ["type"] = type, ["object"] = value.DeepClone() }.ToJsonString() + "\n");

    /// <summary>Bytes exactly as given, each call one write and flush (one chunk on HTTP/1.1).</summary>
    public ValueTask SendRawAsync(string text) => Lines.Writer.WriteAsync(text);

    public void End() => Lines.Writer.Complete();
}
