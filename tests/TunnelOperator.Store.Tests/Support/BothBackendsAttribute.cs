using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace TunnelOperator.Store.Tests.Support;

/// <summary>
/// Runs a theory once per <see cref="Backend"/>, with <see cref="Backend"/> as the first argument
/// followed by the given values. Stack several for a table: each row runs on both databases.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class BothBackendsAttribute(params object?[] values) : DataAttribute
{
    public object?[] Values { get; } = values;

    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new(Enum.GetValues<Backend>().Select(b => (ITheoryDataRow)new TheoryDataRow([b, .. Values])).ToList());

    public override bool SupportsDiscoveryEnumeration() => true;
}
