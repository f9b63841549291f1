using System.Text.RegularExpressions;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers;

/// <summary>
/// The one way to change conditions (apimachinery's <c>meta.SetStatusCondition</c>, with the API
/// conventions' rules enforced): one condition per type; <c>lastTransitionTime</c> moves only when
/// <c>status</c> flips, so "Ready since" means something; <c>observedGeneration</c> records which spec
/// the condition describes; reasons are PascalCase identifiers. Lists are never mutated: each call
/// returns a new list, and returns the same contents when nothing changed so that an unchanged status
/// is not written (<see cref="StatusWriter"/>).
/// </summary>
public static partial class Conditions
{
    /// <summary>The longest message the API accepts (meta/v1 Condition validation).</summary>
    public const int MaxMessageLength = 32768;

    /// <summary>
    /// <paramref name="conditions"/> with <paramref name="type"/> set. The transition time is now
    /// (whole seconds, as the API stores it) when the status flips or the condition is new, and kept otherwise.
    /// </summary>
    public static IReadOnlyList<Condition> Set(
        IReadOnlyList<Condition>? conditions,
        string type,
        string status,
        string reason,
        string? message,
        long? observedGeneration,
        TimeProvider? time = null) =>
        Set(conditions, new Condition { Type = type, Status = status, Reason = reason, Message = message ?? "", ObservedGeneration = observedGeneration }, time);

    /// <summary><paramref name="conditions"/> with <paramref name="condition"/> replacing the one of its type; its own transition time is ignored.</summary>
    public static IReadOnlyList<Condition> Set(IReadOnlyList<Condition>? conditions, Condition condition, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        Validate(condition);
        var list = conditions?.ToList() ?? [];
        var index = list.FindIndex(c => c.Type == condition.Type);
        var existing = index >= 0 ? list[index] : null;
        var transition = existing is not null && existing.Status == condition.Status && existing.LastTransitionTime is { } kept
            ? kept
            : Truncate((time ?? TimeProvider.System).GetUtcNow());
        var next = condition with { LastTransitionTime = transition };
        if (index >= 0)
        {
            list[index] = next;
        }
        else
        {
            list.Add(next);
        }

        return list;
    }

    /// <summary><paramref name="conditions"/> without <paramref name="type"/>.</summary>
    public static IReadOnlyList<Condition> Remove(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.Where(c => c.Type != type).ToList() ?? [];

    public static Condition? Find(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IReadOnlyList<Condition>? conditions, string type) => Find(conditions, type)?.Status == ConditionStatus.True;

    public static bool IsFalse(IReadOnlyList<Condition>? conditions, string type) => Find(conditions, type)?.Status == ConditionStatus.False;

    /// <summary>Missing or <c>Unknown</c>.</summary>
    public static bool IsUnknown(IReadOnlyList<Condition>? conditions, string type) =>
        Find(conditions, type)?.Status is null or ConditionStatus.Unknown;

    /// <summary>Whether two condition lists say the same, in any order (by type, every field compared).</summary>
    public static bool Equivalent(IReadOnlyList<Condition>? left, IReadOnlyList<Condition>? right)
    {
        var a = left ?? [];
        var b = right ?? [];
        return a.Count == b.Count && a.All(c => Find(b, c.Type) is { } other && other == c);
    }

    /// <summary>A PascalCase reason: a capital letter, then letters and digits (what kubectl and alerts match on).</summary>
    public static bool IsValidReason(string? reason) => reason is not null && Reason().IsMatch(reason);

    /// <summary>Throws <see cref="ArgumentException"/> for a condition the API or the conventions refuse.</summary>
    public static void Validate(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (string.IsNullOrEmpty(condition.Type) || condition.Type.Length > 316 || !TypeName().IsMatch(condition.Type))
        {
            throw new ArgumentException($"condition type '{condition.Type}' is not a qualified name (e.g. Ready, DNSReady)", nameof(condition));
        }

        if (condition.Status is not (ConditionStatus.True or ConditionStatus.False or ConditionStatus.Unknown))
        {
            throw new ArgumentException($"condition status '{condition.Status}' is not True, False or Unknown", nameof(condition));
        }

        if (!IsValidReason(condition.Reason))
        {
            throw new ArgumentException($"condition reason '{condition.Reason}' is not PascalCase (e.g. EdgeNotFound)", nameof(condition));
        }

        if (condition.Message is { Length: > MaxMessageLength })
        {
            throw new ArgumentException($"condition message is longer than {MaxMessageLength} characters", nameof(condition));
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    // At most 1024 characters: the meta/v1 Condition limit on reason.
    [GeneratedRegex("^[A-Z][A-Za-z0-9]{0,1023}$")]
    private static partial Regex Reason();

    // meta/v1 Condition's type pattern: an optional DNS-subdomain prefix and a name.
    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    private static partial Regex TypeName();
}
