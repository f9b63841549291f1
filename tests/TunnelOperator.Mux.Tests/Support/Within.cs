namespace TunnelOperator.Mux.Tests.Support;

/// <summary>Hang guards: every wait in these tests is on a signal, bounded so a bug fails fast instead of hanging.</summary>
internal static class Within
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static Task Bound(this Task task) => task.WaitAsync(Default, Token);

    public static Task<T> Bound<T>(this Task<T> task) => task.WaitAsync(Default, Token);

    public static Task<T> Bound<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default, Token);

    public static Task Bound(this ValueTask task) => task.AsTask().WaitAsync(Default, Token);

    /// <summary>Spins (no sleeping) until <paramref name="condition"/> holds; for state the code under test exposes no signal for.</summary>
    public static void SpinUntil(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, Default))
        {
            throw new TimeoutException($"timed out waiting until {what}");
        }
    }
}
