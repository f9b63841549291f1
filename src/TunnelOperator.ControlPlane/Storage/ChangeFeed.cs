using System.Globalization;
using System.Runtime.CompilerServices;

namespace TunnelOperator.ControlPlane.Storage;

/// <summary>
/// Every change committed after the feed was opened, as <see cref="ControlPlaneEvent"/>s for in-process
/// components (<see cref="LocalControlPlane.WatchAsync"/>, the workload runner). Opening subscribes at
/// once, so a consumer that opens the feed and then reads the current state misses nothing. A consumer
/// that falls <c>buffer</c> events behind sees the enumeration end with <see cref="Overflowed"/> set.
/// </summary>
internal sealed class ChangeFeed : IDisposable
{
    private readonly Watcher _watcher;

    private ChangeFeed(Watcher watcher) => _watcher = watcher;

    public static ChangeFeed Open(ObjectStore store, int buffer = 100_000) =>
        new(store.Hub.Subscribe(store.CurrentResourceVersion, _ => true, buffer) ?? throw new InvalidOperationException("the current resourceVersion cannot be compacted"));

    public bool Overflowed => _watcher.Overflowed;

    public async IAsyncEnumerable<ControlPlaneEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (await _watcher.Events.WaitToReadAsync(ct))
        {
            while (_watcher.Events.TryRead(out var e))
            {
                yield return new ControlPlaneEvent(e.TypeName, e.Key.Group, e.Key.Resource, e.Namespace, e.Name,
                    e.ResourceVersion.ToString(CultureInfo.InvariantCulture), e.Object.DeepClone().AsObject());
            }
        }
    }

    public void Dispose() => _watcher.Dispose();
}
