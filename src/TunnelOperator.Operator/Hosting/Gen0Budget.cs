namespace TunnelOperator.Operator.Hosting;

/// <summary>
/// Keeps the operator's working set near its live data: whenever more than <c>budget</c> bytes were
/// allocated since the last gen0 collection, it collects gen0.
/// </summary>
/// <remarks>
/// The runtime sizes the gen0 budget of workstation GC from the largest CPU cache: on a machine with a
/// 260 MiB L3 that is ~90-130 MiB of garbage between collections, all of it resident, which more than
/// doubles the RSS of an operator whose live heap is ~30 MiB. The runtime's own knobs
/// (<c>DOTNET_GCgen0size</c>, <c>System.GC.Gen0MaxBudget</c>) are read once at start-up from the
/// environment or from the runtimeconfig that <c>tunneld</c>'s commands share, so they would also change
/// the edge; setting them later (<c>AppContext.SetData</c> + <c>GC.RefreshMemoryLimit</c>) has no effect on
/// gen0 (measured). tunneld's runtimeconfig caps gen0 at 16 MiB for every command (edge included, where
/// it measured as free); this loop tightens the operator process alone further. A gen0 collection costs
/// in proportion to what survives, so collecting more often costs little CPU.
/// </remarks>
public sealed class Gen0Budget : IDisposable
{
    /// <summary>The default budget: about what the runtime gives a machine with a 16 MiB cache (1,000 Tunnels: ~150 MiB RSS at 8 MiB, ~160 at 16).</summary>
    public const long DefaultBytes = 8L << 20;

    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);
    private readonly long _budget;
    private readonly Timer _timer;
    private long _allocatedAtLastGc;
    private int _gen0Count;
    private int _checking;

    private Gen0Budget(long budget)
    {
        _budget = budget;
        _gen0Count = GC.CollectionCount(0);
        _allocatedAtLastGc = GC.GetTotalAllocatedBytes(precise: false);
        _timer = new Timer(static s => ((Gen0Budget)s!).Check(), this, Period, Period);
    }

    /// <summary>Collections this budget induced (for tests and diagnostics).</summary>
    public int Induced { get; private set; }

    /// <summary>Starts the loop; null when <paramref name="budgetBytes"/> is zero or negative (off).</summary>
    public static Gen0Budget? Start(long budgetBytes) => budgetBytes > 0 ? new Gen0Budget(budgetBytes) : null;

    /// <summary>The budget from <paramref name="mebibytes"/> (an environment variable's text): unset means the default, 0 means off.</summary>
    public static long Parse(string? mebibytes) =>
        string.IsNullOrWhiteSpace(mebibytes) ? DefaultBytes
        : long.TryParse(mebibytes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mib) && mib < (1L << 20) ? mib << 20
        : throw new FormatException($"not a size in MiB: {mebibytes}");

    private void Check()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            var count = GC.CollectionCount(0);
            if (count != _gen0Count)
            {
                // The runtime collected on its own: count the budget from here.
                _gen0Count = count;
                _allocatedAtLastGc = allocated;
                return;
            }

            if (allocated - _allocatedAtLastGc < _budget)
            {
                return;
            }

            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            Induced++;
            _gen0Count = GC.CollectionCount(0);
            _allocatedAtLastGc = GC.GetTotalAllocatedBytes(precise: false);
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
