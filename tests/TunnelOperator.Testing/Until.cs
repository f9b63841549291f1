namespace TunnelOperator.Testing;

/// <summary>
/// Waits for state that changes without an event to await: an edge dropping a route when it
/// notices an agent left, Kestrel recording a connection's metrics after closing it. Checks
/// the condition every 20 ms and fails, naming what it waited for, after the limit.
/// </summary>
public static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(10));
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still waiting after {(limit ?? TimeSpan.FromSeconds(10)).TotalSeconds:0} s for {what}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? limit = null, CancellationToken cancellationToken = default) =>
        TrueAsync(() => Task.FromResult(condition()), what, limit, cancellationToken);
}
