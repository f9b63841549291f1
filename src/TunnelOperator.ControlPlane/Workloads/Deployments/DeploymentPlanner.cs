using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Workloads.Deployments;

/// <summary>What the deployment controller does next: how many Pods of the current template to create, which Pods to delete.</summary>
internal sealed record DeploymentPlan(int Create, IReadOnlyList<JsonObject> Delete, TimeSpan? RequeueAfter);

/// <summary>
/// The deployment and replica set controllers' decisions over Pods directly (there are no ReplicaSets here):
/// Pods whose <c>pod-template-hash</c> is the current template's are new, the rest old.
/// <list type="bullet">
/// <item>Recreate: delete every old Pod, wait until none is left terminating, then create new ones.</item>
/// <item>RollingUpdate: create new Pods while the total stays within replicas + maxSurge; delete old ones
///   while the available Pods stay at or above replicas − maxUnavailable, unavailable old ones first.</item>
/// <item>Scaling: excess Pods go unready first, then the newest (controller.ActivePods ordering, simplified).</item>
/// </list>
/// Pure: no I/O, unit-tested alone.
/// </summary>
internal static class DeploymentPlanner
{
    public const string HashLabel = "pod-template-hash";

    public static DeploymentPlan Plan(JsonObject deployment, IReadOnlyList<JsonObject> active, int terminating, string hash, DateTimeOffset now)
    {
        var spec = deployment["spec"];
        var replicas = (int)(Meta.Long(spec?["replicas"]) ?? 1);
        var minReady = Meta.Long(spec?["minReadySeconds"]) ?? 0;
        var (surge, unavailable) = Limits(spec, replicas);
        var current = active.Where(p => IsNew(p, hash)).ToList();
        var old = active.Where(p => !IsNew(p, hash)).ToList();
        var requeue = NextAvailability(active, minReady, now);

        if (old.Count == 0)
        {
            if (current.Count < replicas)
            {
                // Recreate waits for the old Pods to be gone, not only told to go.
                var blocked = Meta.Str(spec?["strategy"]?["type"]) == "Recreate" && terminating > 0;
                return new DeploymentPlan(blocked ? 0 : replicas - current.Count, [], requeue);
            }

            return new DeploymentPlan(0, [.. ScaleDownOrder(current, minReady, now).Take(current.Count - replicas)], requeue);
        }

        if (Meta.Str(spec?["strategy"]?["type"]) == "Recreate")
        {
            return new DeploymentPlan(0, old, requeue);
        }

        var create = Math.Max(0, Math.Min(replicas + surge - active.Count, replicas - current.Count));
        var minAvailable = replicas - unavailable;
        var availableNow = active.Count(p => IsAvailable(p, minReady, now));
        var newUnavailable = current.Count(p => !IsAvailable(p, minReady, now));
        var delete = new List<JsonObject>();

        // Unavailable old Pods cost no availability: clean them up, as far as the total allows.
        var maxCleanup = Math.Max(0, active.Count - minAvailable - newUnavailable);
        delete.AddRange(old.Where(p => !IsAvailable(p, minReady, now)).Take(maxCleanup));
        var canRemove = Math.Max(0, availableNow - minAvailable);
        delete.AddRange(ScaleDownOrder(old.Where(p => IsAvailable(p, minReady, now)).ToList(), minReady, now).Take(canRemove));
        return new DeploymentPlan(create, delete, requeue);
    }

    public static bool IsNew(JsonObject pod, string hash) => Meta.Str(pod["metadata"]?["labels"]?[HashLabel]) == hash;

    public static bool IsReady(JsonObject pod) => ReadySince(pod) is not null;

    /// <summary>Ready for at least minReadySeconds.</summary>
    public static bool IsAvailable(JsonObject pod, long minReadySeconds, DateTimeOffset now) =>
        ReadySince(pod) is { } since && since.AddSeconds(minReadySeconds) <= now;

    private static DateTimeOffset? ReadySince(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => Meta.Str(c["type"]) == "Ready" && Meta.Str(c["status"]) == "True")
            .Select(c => Meta.ParseTimestamp(c["lastTransitionTime"]) ?? DateTimeOffset.MinValue)
            .Cast<DateTimeOffset?>()
            .FirstOrDefault();

    /// <summary>maxSurge rounds up, maxUnavailable down (intstr.GetScaledValueFromIntOrPercent); both 0 would stall, so unavailable becomes 1.</summary>
    public static (int Surge, int Unavailable) Limits(JsonNode? spec, int replicas)
    {
        var rolling = spec?["strategy"]?["rollingUpdate"];
        var surge = Scaled(rolling?["maxSurge"], replicas, roundUp: true, fallback: "25%");
        var unavailable = Scaled(rolling?["maxUnavailable"], replicas, roundUp: false, fallback: "25%");
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, unavailable);
    }

    private static int Scaled(JsonNode? value, int total, bool roundUp, string fallback)
    {
        if (Meta.Long(value) is { } n)
        {
            return (int)n;
        }

        var text = Meta.Str(value) ?? fallback;
        if (text.EndsWith('%') && double.TryParse(text[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var percent))
        {
            var scaled = percent * total / 100.0;
            return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }

    private static IEnumerable<JsonObject> ScaleDownOrder(List<JsonObject> pods, long minReady, DateTimeOffset now) =>
        pods.OrderBy(p => IsAvailable(p, minReady, now))
            .ThenBy(p => IsReady(p))
            .ThenByDescending(p => Meta.Str(p["metadata"]?["creationTimestamp"]) ?? "", StringComparer.Ordinal)
            .ThenByDescending(p => Meta.Name(p), StringComparer.Ordinal);

    /// <summary>When the next ready-but-not-yet-available Pod becomes available (minReadySeconds).</summary>
    private static TimeSpan? NextAvailability(IReadOnlyList<JsonObject> pods, long minReady, DateTimeOffset now)
    {
        if (minReady == 0)
        {
            return null;
        }

        var waits = pods.Select(ReadySince).Where(s => s is not null).Select(s => s!.Value.AddSeconds(minReady) - now).Where(d => d > TimeSpan.Zero).ToList();
        return waits.Count == 0 ? null : waits.Min();
    }
}
