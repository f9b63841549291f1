using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Store;
using TunnelOperator.Store.Tenants;

namespace TunnelOperator.Edge.Tenants;

/// <summary>Marks a connection on the control port that spoke HTTP rather than the agent protocol.</summary>
public sealed class HubConnectionFeature
{
    public static HubConnectionFeature Instance { get; } = new();
}

/// <summary>
/// The hub API, <c>/hub/v1</c> on the control port (TLS; the agent protocol is told apart by
/// ALPN). Every call needs a bearer token: the operator API key for invites and tenants, an
/// invite token for a tenant's own entries and for leaving.
/// <code>
///   POST   /hub/v1/invites        operator  create (returns the token once)
///   GET    /hub/v1/invites        operator  list
///   DELETE /hub/v1/invites/{id}   operator  revoke (removes the tenant)
///   DELETE /hub/v1/tenants/{id}   operator  remove a tenant
///   GET    /hub/v1/entries        tenant    what it holds
///   POST   /hub/v1/entries        tenant    upsert-hostname / delete-hostname
///   DELETE /hub/v1/tenant         tenant    leave: remove itself
/// </code>
/// </summary>
public sealed class HubApi(EdgeServices edge, string operatorKey)
{
    private readonly byte[] _operatorKeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(operatorKey));

    public static bool IsHubRequest(HttpContext context) => context.Features.Get<HubConnectionFeature>() is not null;

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var path = context.Request.Path.Value ?? string.Empty;
        var method = context.Request.Method;
        try
        {
            var result = (method, path) switch
            {
                ("POST", "/hub/v1/invites") => await AsOperatorAsync(context, () => CreateInviteAsync(context, ct)),
                ("GET", "/hub/v1/invites") => await AsOperatorAsync(context, () => ListInvitesAsync(ct)),
                ("DELETE", _) when path.StartsWith("/hub/v1/invites/", StringComparison.Ordinal) => await AsOperatorAsync(context, () => RevokeInviteAsync(path["/hub/v1/invites/".Length..], ct)),
                ("DELETE", _) when path.StartsWith("/hub/v1/tenants/", StringComparison.Ordinal) => await AsOperatorAsync(context, () => RemoveTenantAsync(path["/hub/v1/tenants/".Length..], ct)),
                ("GET", "/hub/v1/entries") => await AsTenantAsync(context, tenant => ListEntriesAsync(tenant, ct), ct),
                ("POST", "/hub/v1/entries") => await AsTenantAsync(context, tenant => SubmitEntryAsync(context, tenant, ct), ct),
                ("DELETE", "/hub/v1/tenant") => await AsTenantAsync(context, tenant => LeaveAsync(tenant, ct), ct),
                _ => Error(StatusCodes.Status404NotFound, $"no hub endpoint {method} {path}"),
            };
            await result.ExecuteAsync(context);
        }
        catch (StoreUnavailableException e) when (!context.Response.HasStarted)
        {
            await Error(StatusCodes.Status503ServiceUnavailable, e.Message).ExecuteAsync(context);
        }
    }

    private async Task<IResult> AsOperatorAsync(HttpContext context, Func<Task<IResult>> action)
    {
        var presented = Bearer(context);
        if (presented is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _operatorKeyHash))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(StatusCodes.Status401Unauthorized, "missing or wrong operator API key: pass --api-key with the contents of the hub's <data-dir>/operator.key");
        }

        return await action();
    }

    private async Task<IResult> AsTenantAsync(HttpContext context, Func<AuthenticatedTenant, Task<IResult>> action, CancellationToken ct)
    {
        if (!InviteToken.TryParse(Bearer(context), out var invite, out var problem))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(StatusCodes.Status401Unauthorized, $"a tenant call needs its invite token as the bearer token: {problem}");
        }

        var tenant = await edge.Store.AuthenticateInviteAsync(invite.TenantId, invite.InviteId, invite.Secret, ct);
        if (!tenant.Ok)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(tenant.Error == StoreError.Unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status401Unauthorized, tenant.Message);
        }

        return await action(tenant.Value);
    }

    private async Task<IResult> CreateInviteAsync(HttpContext context, CancellationToken ct)
    {
        var request = await ReadAsync(context, HubJsonContext.Default.CreateInviteRequest);
        if (request is null)
        {
            return Error(StatusCodes.Status400BadRequest, "expected a JSON body like {\"name\":\"alice\",\"hostnames\":\"*.alice.example.eu\"}");
        }

        var issued = await InviteIssuer.IssueAsync(edge.Store, request, ct);
        return issued.Ok
            ? Results.Json(new CreatedInviteView(InviteIssuer.View(issued.Value.Invite.Invite), issued.Value.Token), HubJsonContext.Default.CreatedInviteView, statusCode: StatusCodes.Status201Created)
            : StoreFailure(issued.Error, issued.Message);
    }

    private async Task<IResult> ListInvitesAsync(CancellationToken ct)
    {
        var invites = await edge.Store.ListInvitesAsync(ct);
        return Results.Json(invites.Select(InviteIssuer.View).ToArray(), HubJsonContext.Default.InviteViewArray);
    }

    private async Task<IResult> RevokeInviteAsync(string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var inviteId))
        {
            return Error(StatusCodes.Status400BadRequest, $"'{id}' is not an invite id; see 'tunneld invite list'");
        }

        var tenantId = await edge.Store.RevokeInviteAsync(inviteId, ct);
        if (tenantId is null)
        {
            return Error(StatusCodes.Status404NotFound, $"no invite with id {id}");
        }

        await CloseTenantSessionsAsync(tenantId.Value, "the tenant's invite was revoked");
        return Results.NoContent();
    }

    private async Task<IResult> RemoveTenantAsync(string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var tenantId))
        {
            return Error(StatusCodes.Status400BadRequest, $"'{id}' is not a tenant id; see 'tunneld invite list'");
        }

        if (!await edge.Store.RemoveTenantAsync(tenantId, ct))
        {
            return Error(StatusCodes.Status404NotFound, $"no tenant with id {id}");
        }

        await CloseTenantSessionsAsync(tenantId, "the tenant was removed from the hub");
        return Results.NoContent();
    }

    private async Task<IResult> ListEntriesAsync(AuthenticatedTenant tenant, CancellationToken ct)
    {
        var entries = await edge.Store.ListEntriesAsync(tenant.Tenant.Id, ct);
        return Results.Json(entries.Select(View).ToArray(), HubJsonContext.Default.EntryViewArray);
    }

    private async Task<IResult> SubmitEntryAsync(HttpContext context, AuthenticatedTenant tenant, CancellationToken ct)
    {
        var request = await ReadAsync(context, HubJsonContext.Default.SubmitEntryRequest);
        switch (request?.Op)
        {
            case "upsert-hostname" when request.Hostname is { } hostname && edge.Options.IsEdgeName(hostname):
                return Error(StatusCodes.Status403Forbidden, TenantSession.EdgeNameRefusal(hostname, edge.Options.BaseHost));
            case "upsert-hostname":
                var claimed = await edge.Store.UpsertHostnameAsync(tenant.Tenant.Id, request.Hostname, ct);
                if (!claimed.Ok)
                {
                    return StoreFailure(claimed.Error, claimed.Message);
                }

                var outcome = claimed.Value;
                return outcome.Verdict switch
                {
                    ClaimVerdict.Accepted => Results.Json(new SubmitEntryResult(true, outcome.Claim.Hostname, null), HubJsonContext.Default.SubmitEntryResult),
                    ClaimVerdict.Taken => Error(StatusCodes.Status409Conflict, outcome.Reason!),
                    ClaimVerdict.NotAllowed => Error(StatusCodes.Status403Forbidden, outcome.Reason!),
                    _ => Error(StatusCodes.Status400BadRequest, outcome.Reason!),
                };
            case "delete-hostname":
                var deleted = await edge.Store.DeleteHostnameAsync(tenant.Tenant.Id, request.Hostname, ct);
                if (!deleted)
                {
                    return Error(StatusCodes.Status404NotFound, $"the tenant holds no hostname {request.Hostname}");
                }

                // Off this edge's routes at once; an agent that declares it claims it again at its next start.
                if (HostnamePatterns.TryNormalize(request.Hostname, out var normalized, out _))
                {
                    edge.L4.Routes.RemoveHost(tenant.Tenant.Id, normalized);
                }

                return Results.Json(new SubmitEntryResult(true, request.Hostname, null), HubJsonContext.Default.SubmitEntryResult);
            default:
                return Error(StatusCodes.Status400BadRequest, "expected a JSON body like {\"op\":\"upsert-hostname\",\"hostname\":\"app.example.eu\"} (op: upsert-hostname or delete-hostname)");
        }
    }

    private async Task<IResult> LeaveAsync(AuthenticatedTenant tenant, CancellationToken ct)
    {
        await edge.Store.RemoveTenantAsync(tenant.Tenant.Id, ct);
        await CloseTenantSessionsAsync(tenant.Tenant.Id, "the tenant left the hub");
        return Results.NoContent();
    }

    // Sessions on this edge end now; other edges notice at their next standing check.
    private async Task CloseTenantSessionsAsync(Guid tenantId, string message) =>
        await Task.WhenAll(edge.L4.Sessions.OfTenant(tenantId).Select(s => s.CloseAsync(CancelReason.TenantRemoved, message)));

    private static EntryView View(TenantEntryRecord entry) => new(
        entry.Kind switch { EntryKind.Hostname => "hostname", EntryKind.Tcp => "tcp", _ => "udp" },
        entry.Key, entry.Service, entry.Source == EntrySource.Manual ? "manual" : "agent", entry.CreatedAt);

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new HubErrorView(message), HubJsonContext.Default.HubErrorView, statusCode: status);

    private static IResult StoreFailure(StoreError error, string message) => Error(
        error switch
        {
            StoreError.InvalidArgument => StatusCodes.Status400BadRequest,
            StoreError.AlreadyExists or StoreError.Conflict => StatusCodes.Status409Conflict,
            StoreError.NotFound => StatusCodes.Status404NotFound,
            StoreError.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        },
        message);
}
