using TunnelOperator.Crds.Generation;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Hives;

/// <summary>The observed state of a <see cref="Hive"/>, written by the operator.</summary>
public sealed record HiveStatus
{
    [Description("URL clients configure, e.g. https://team.tnl.example.com/h/team-alpha: the public one when exposed, the in-cluster one otherwise.")]
    public string? Endpoint { get; init; }

    [Description("Actors registered on the hive, listed or not.")]
    public int? Actors { get; init; }

    [Description("Listed actors that have not claimed their key yet.")]
    public int? PendingActors { get; init; }

    [Description("Latest observations: Ready (the relay serves the hive) and Exposed (the edge publishes it, when spec.expose is set).")]
    [ListMapKeys("type")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }
}
