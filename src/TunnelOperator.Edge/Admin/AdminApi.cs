using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TunnelOperator.Protocol.V1;
using TunnelOperator.Telemetry;

namespace TunnelOperator.Edge.Admin;

/// <summary>One row of <c>GET /admin/tunnels</c>; <c>token_id</c> says which API token the agent holding it authenticated with.</summary>
public sealed record AdminTunnelView(
    string Subdomain,
    string PublicUrl,
    string? Name,
    string UserEmail,
    string ClientVersion,
    string PeerAddr,
    string SessionId,
    DateTimeOffset ConnectedAt,
    long AgeSeconds,
    int InFlight,
    string Target,
    Guid? TokenId);

public sealed record CreateUserRequest(string Email);

public sealed record IssueTokenRequest(string Email, string Name);

public sealed record AdminUserView(Guid Id, string Email, string Slug, DateTimeOffset CreatedAt);

public sealed record AdminTokenView(Guid Id, string UserEmail, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

public sealed record IssuedTokenView(Guid Id, string Token, string Name, string UserEmail);

public sealed record AdminErrorView(string Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false)]
[JsonSerializable(typeof(AdminTunnelView[]))]
[JsonSerializable(typeof(AdminUserView))]
[JsonSerializable(typeof(AdminUserView[]))]
[JsonSerializable(typeof(AdminTokenView[]))]
[JsonSerializable(typeof(IssuedTokenView))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(IssueTokenRequest))]
[JsonSerializable(typeof(AdminErrorView))]
public sealed partial class AdminJsonContext : JsonSerializerContext;

/// <summary>
/// The edge's loopback admin surface: <c>/admin/*</c> (JSON, bearer admin token),
/// <c>/metrics</c> (Prometheus text), <c>/healthz</c> and <c>/readyz</c>.
/// </summary>
public static class AdminApi
{
    public static void Map(WebApplication app, EdgeServices edge, PrometheusExporter exporter, string adminToken)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(adminToken));
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/admin") && !Authorized(context.Request, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await WriteJsonAsync(context, new AdminErrorView("missing or wrong admin token: send 'Authorization: Bearer <token>' with the token from <data-dir>/admin.token"), AdminJsonContext.Default.AdminErrorView).ConfigureAwait(false);
                return;
            }

            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Store.StoreUnavailableException e) when (!context.Response.HasStarted)
            {
                // The store went away: say so plainly; nothing was written.
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await WriteJsonAsync(context, new AdminErrorView($"the store is unavailable: {e.Message}"), AdminJsonContext.Default.AdminErrorView).ConfigureAwait(false);
            }
        });

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (CancellationToken ct) =>
            await edge.Store.CanConnectAsync(ct).ConfigureAwait(false)
                ? Results.Text("ready\n")
                : Results.Text("store unavailable\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = PrometheusExporter.ContentType;
            await exporter.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });

        app.MapGet("/admin/tunnels", () =>
        {
            var now = edge.Time.GetUtcNow();
            var rows = edge.Registry.Snapshot()
                .OrderBy(t => t.Subdomain, StringComparer.Ordinal)
                .Select(t => new AdminTunnelView(
                    t.Subdomain, t.PublicUrl, t.Name, t.Session.User.Email, t.Session.ClientVersion, t.Session.PeerAddress,
                    t.Session.Id, t.ConnectedAt, (long)(now - t.ConnectedAt).TotalSeconds, t.InFlight, t.Target,
                    t.Session.TokenId == Guid.Empty ? null : t.Session.TokenId))
                .ToArray();
            return Results.Json(rows, AdminJsonContext.Default.AdminTunnelViewArray);
        });

        app.MapGet("/admin/users", async (CancellationToken ct) =>
        {
            var users = await edge.Store.ListUsersAsync(ct).ConfigureAwait(false);
            return Results.Json(users.Select(u => new AdminUserView(u.Id, u.Email, u.Slug, u.CreatedAt)).ToArray(), AdminJsonContext.Default.AdminUserViewArray);
        });

        app.MapPost("/admin/users", async (HttpContext context) =>
        {
            var body = await ReadJsonAsync(context, AdminJsonContext.Default.CreateUserRequest).ConfigureAwait(false);
            if (body is null)
            {
                return Error(StatusCodes.Status400BadRequest, "expected a JSON body like {\"email\":\"someone@example.com\"}");
            }

            var created = await edge.Store.CreateUserAsync(body.Email, context.RequestAborted).ConfigureAwait(false);
            return created.Ok
                ? Results.Json(new AdminUserView(created.Value!.Id, created.Value.Email, created.Value.Slug, created.Value.CreatedAt), AdminJsonContext.Default.AdminUserView, statusCode: StatusCodes.Status201Created)
                : StoreError(created.Error, created.Message);
        });

        app.MapGet("/admin/tokens", async (CancellationToken ct) =>
        {
            var tokens = await edge.Store.ListTokensAsync(ct).ConfigureAwait(false);
            return Results.Json(tokens.Select(t => new AdminTokenView(t.Id, t.UserEmail, t.Name, t.CreatedAt, t.LastUsedAt)).ToArray(), AdminJsonContext.Default.AdminTokenViewArray);
        });

        app.MapPost("/admin/tokens", async (HttpContext context) =>
        {
            var body = await ReadJsonAsync(context, AdminJsonContext.Default.IssueTokenRequest).ConfigureAwait(false);
            if (body is null)
            {
                return Error(StatusCodes.Status400BadRequest, "expected a JSON body like {\"email\":\"someone@example.com\",\"name\":\"laptop\"}");
            }

            var issued = await edge.Store.IssueTokenAsync(body.Email, body.Name, context.RequestAborted).ConfigureAwait(false);
            return issued.Ok
                ? Results.Json(new IssuedTokenView(issued.Value!.Id, issued.Value.Plaintext, issued.Value.Name, issued.Value.User.Email), AdminJsonContext.Default.IssuedTokenView, statusCode: StatusCodes.Status201Created)
                : StoreError(issued.Error, issued.Message);
        });

        app.MapDelete("/admin/tokens/{id:guid}", async (Guid id, CancellationToken ct) =>
        {
            if (!await edge.Store.RevokeTokenAsync(id, ct).ConfigureAwait(false))
            {
                return Error(StatusCodes.Status404NotFound, $"no token with id {id}");
            }

            // Live sessions of the token end now rather than at their next periodic check.
            foreach (var session in edge.Sessions.Snapshot().Where(s => s.TokenId == id))
            {
                await session.CloseAsync(CancelReason.TokenRevoked, "the token of this session was revoked").ConfigureAwait(false);
            }

            return Results.NoContent();
        });
    }

    /// <summary>Reads the admin token from its file, creating it (mode 0600) on first start.</summary>
    public static string LoadOrCreateToken(EdgeOptions options)
    {
        if (!string.IsNullOrEmpty(options.AdminToken))
        {
            return options.AdminToken;
        }

        var path = Path.Combine(options.DataDirectory, "admin.token");
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        Directory.CreateDirectory(options.DataDirectory);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, token + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return token;
    }

    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new AdminErrorView(message), AdminJsonContext.Default.AdminErrorView, statusCode: status);

    private static IResult StoreError(Store.StoreError error, string? message) => Error(
        error switch
        {
            Store.StoreError.InvalidArgument => StatusCodes.Status400BadRequest,
            Store.StoreError.AlreadyExists or Store.StoreError.Conflict => StatusCodes.Status409Conflict,
            Store.StoreError.NotFound => StatusCodes.Status404NotFound,
            Store.StoreError.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        },
        message ?? error.ToString());

    private static Task WriteJsonAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        context.Response.WriteAsJsonAsync(value, type);
}
