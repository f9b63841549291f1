namespace TunnelOperator.Mux.Tests.Bulk;

/// <summary>Runs its tests after the parallel ones, alone, so they measure only themselves.</summary>
[CollectionDefinition(nameof(BulkCollection), DisableParallelization = true)]
public sealed class BulkCollection;
