namespace TunnelOperator.Kubernetes.Models;

/// <summary>One requirement of a <see cref="LabelSelector"/>: <c>key In/NotIn values</c>, <c>Exists</c>, <c>DoesNotExist</c>.</summary>
public sealed record LabelSelectorRequirement
{
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string Exists = "Exists";
    public const string DoesNotExist = "DoesNotExist";

    public required string Key { get; init; }

    /// <summary><c>In</c>, <c>NotIn</c>, <c>Exists</c> or <c>DoesNotExist</c>.</summary>
    public required string Operator { get; init; }

    /// <summary>Non-empty for <c>In</c>/<c>NotIn</c>, empty for <c>Exists</c>/<c>DoesNotExist</c>.</summary>
    public IReadOnlyList<string>? Values { get; init; }
}
