using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TunnelOperator.Protocol.Tenants;

/// <summary>The outcome of a hub call: a value, or what went wrong in words for the person who ran the command.</summary>
public sealed record HubResult<T>(T? Value, HttpStatusCode Status, string? Error)
{
    public bool Ok => Error is null;
}

/// <summary>
/// Client of the hub API (<c>/hub/v1</c> on an edge's control port). Operators authenticate
/// with the operator API key, tenants with their invite token; both as a bearer token.
/// </summary>
public sealed class HubClient : IDisposable
{
    private readonly HttpClient _http;

    public HubClient(Uri hubUrl, string bearer, string? caCertificatePath = null)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (caCertificatePath is not null)
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caCertificatePath));
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { ca },
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        _http = new HttpClient(handler) { BaseAddress = hubUrl, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Trim());
    }

    public Task<HubResult<CreatedInviteView>> CreateInviteAsync(CreateInviteRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "hub/v1/invites", JsonContent.Create(request, HubJsonContext.Default.CreateInviteRequest), HubJsonContext.Default.CreatedInviteView, ct);

    public Task<HubResult<InviteView[]>> ListInvitesAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "hub/v1/invites", null, HubJsonContext.Default.InviteViewArray, ct);

    public Task<HubResult<bool>> RevokeInviteAsync(string id, CancellationToken ct) =>
        SendAsync<bool>(HttpMethod.Delete, $"hub/v1/invites/{Uri.EscapeDataString(id)}", null, null, ct);

    public Task<HubResult<bool>> RemoveTenantAsync(string id, CancellationToken ct) =>
        SendAsync<bool>(HttpMethod.Delete, $"hub/v1/tenants/{Uri.EscapeDataString(id)}", null, null, ct);

    public Task<HubResult<EntryView[]>> ListEntriesAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "hub/v1/entries", null, HubJsonContext.Default.EntryViewArray, ct);

    public Task<HubResult<SubmitEntryResult>> SubmitEntryAsync(SubmitEntryRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "hub/v1/entries", JsonContent.Create(request, HubJsonContext.Default.SubmitEntryRequest), HubJsonContext.Default.SubmitEntryResult, ct);

    public Task<HubResult<bool>> LeaveAsync(CancellationToken ct) =>
        SendAsync<bool>(HttpMethod.Delete, "hub/v1/tenant", null, null, ct);

    private async Task<HubResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T>? type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return new HubResult<T>(default, 0, $"cannot reach the hub at {_http.BaseAddress}: {e.InnerException?.Message ?? e.Message}");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                string message;
                try
                {
                    var error = await response.Content.ReadFromJsonAsync(HubJsonContext.Default.HubErrorView, ct).ConfigureAwait(false);
                    message = error?.Error ?? response.ReasonPhrase ?? "error";
                }
                catch (JsonException)
                {
                    message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                }

                return new HubResult<T>(default, response.StatusCode, message);
            }

            if (type is null)
            {
                return new HubResult<T>((T)(object)true, response.StatusCode, null);
            }

            var value = await response.Content.ReadFromJsonAsync(type, ct).ConfigureAwait(false);
            return new HubResult<T>(value, response.StatusCode, null);
        }
    }

    public void Dispose() => _http.Dispose();
}
