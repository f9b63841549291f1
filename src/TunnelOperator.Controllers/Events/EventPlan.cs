namespace TunnelOperator.Controllers.Events;

/// <summary>One write for one occurrence: create <see cref="Name"/>, or patch its count and lastTimestamp.</summary>
internal sealed record EventPlan(bool IsNew, string Name, string Namespace, int Count, DateTimeOffset FirstTimestamp, DateTimeOffset LastTimestamp);
