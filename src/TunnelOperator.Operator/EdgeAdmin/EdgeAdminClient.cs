using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TunnelOperator.Operator.EdgeAdmin;

/// <summary>
/// <see cref="IEdgeAdminClient"/> over HTTP, with the admin token as a bearer credential on each
/// request. Every call is bounded by <see cref="EdgeAdminClientFactory.RequestTimeout"/>.
/// </summary>
internal sealed class EdgeAdminClient(HttpClient http, Uri endpoint, string adminToken, TimeSpan timeout) : IEdgeAdminClient
{
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "/readyz", null, authorize: false, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    public async Task<IReadOnlyList<EdgeTunnel>> ListTunnelsAsync(CancellationToken cancellationToken) =>
        await GetAsync("/admin/tunnels", EdgeAdminJsonContext.Default.EdgeTunnelArray, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<EdgeUser>> ListUsersAsync(CancellationToken cancellationToken) =>
        await GetAsync("/admin/users", EdgeAdminJsonContext.Default.EdgeUserArray, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<EdgeToken>> ListTokensAsync(CancellationToken cancellationToken) =>
        await GetAsync("/admin/tokens", EdgeAdminJsonContext.Default.EdgeTokenArray, cancellationToken).ConfigureAwait(false);

    public Task<EdgeUser> CreateUserAsync(string email, CancellationToken cancellationToken) =>
        PostAsync("/admin/users", JsonContent.Create(new EdgeAdminRequests.CreateUser(email), EdgeAdminJsonContext.Default.CreateUser),
            EdgeAdminJsonContext.Default.EdgeUser, cancellationToken);

    public Task<IssuedEdgeToken> IssueTokenAsync(string email, string name, CancellationToken cancellationToken) =>
        PostAsync("/admin/tokens", JsonContent.Create(new EdgeAdminRequests.IssueToken(email, name), EdgeAdminJsonContext.Default.IssueToken),
            EdgeAdminJsonContext.Default.IssuedEdgeToken, cancellationToken);

    public async Task<bool> RevokeTokenAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/admin/tokens/{id}", null, authorize: true, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, "DELETE /admin/tokens/{id}", cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, authorize: true, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "GET " + path, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, type, "GET " + path, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> PostAsync<T>(string path, HttpContent body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body, authorize: true, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "POST " + path, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, type, "POST " + path, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? body, bool authorize, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(endpoint, path)) { Content = body };
        if (authorize)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EdgeAdminException($"the edge admin API at {endpoint} did not answer {method} {path} within {timeout.TotalSeconds:0.#} s", null, e);
        }
        catch (HttpRequestException e)
        {
            throw new EdgeAdminException($"cannot reach the edge admin API at {endpoint}: {e.Message}", e.StatusCode, e);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? detail = null;
        try
        {
            detail = (await response.Content.ReadFromJsonAsync(EdgeAdminJsonContext.Default.ErrorBody, cancellationToken).ConfigureAwait(false))?.Error;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
        {
            // Not an error body of ours; the status says enough.
        }

        throw new EdgeAdminException($"the edge admin API at {endpoint} answered {call} with {(int)response.StatusCode}{(detail is null ? "" : ": " + detail)}", response.StatusCode);
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string call, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new EdgeAdminException($"the edge admin API at {endpoint} answered {call} with null", response.StatusCode);
        }
        catch (JsonException e)
        {
            throw new EdgeAdminException($"the edge admin API at {endpoint} answered {call} with a body that is not what tunneld sends: {e.Message}", HttpStatusCode.BadGateway, e);
        }
    }
}
