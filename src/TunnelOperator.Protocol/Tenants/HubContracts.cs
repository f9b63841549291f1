using System.Text.Json.Serialization;

namespace TunnelOperator.Protocol.Tenants;

/// <summary>Body of <c>POST /hub/v1/invites</c> (operator).</summary>
public sealed record CreateInviteRequest(string Name, string? Hostnames, string? Ports, long? ExpiresInSeconds, IReadOnlyList<string>? EdgeUrls);

/// <summary>One invite as the hub lists it (never its secret).</summary>
public sealed record InviteView(string Id, string TenantId, string TenantName, IReadOnlyList<string> Hostnames, string Ports, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>A new invite and its token, shown once.</summary>
public sealed record CreatedInviteView(InviteView Invite, string Token);

/// <summary>One hostname or port a tenant holds.</summary>
public sealed record EntryView(string Kind, string Key, string Service, string Source, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /hub/v1/entries</c> (tenant): op is upsert-hostname or delete-hostname.</summary>
public sealed record SubmitEntryRequest(string Op, string Hostname);

public sealed record SubmitEntryResult(bool Accepted, string Hostname, string? Reason);

public sealed record HubErrorView(string Error);

/// <summary>The hub API's JSON (snake_case), shared by the edge and both command lines.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateInviteRequest))]
[JsonSerializable(typeof(InviteView[]))]
[JsonSerializable(typeof(CreatedInviteView))]
[JsonSerializable(typeof(EntryView[]))]
[JsonSerializable(typeof(SubmitEntryRequest))]
[JsonSerializable(typeof(SubmitEntryResult))]
[JsonSerializable(typeof(HubErrorView))]
public sealed partial class HubJsonContext : JsonSerializerContext;
