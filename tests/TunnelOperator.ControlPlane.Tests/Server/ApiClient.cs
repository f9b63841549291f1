using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>One response: status code, parsed JSON body, headers.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers, string ContentType)
{
    public int Code => (int)Status;

    public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"no object in {Status} response");

    public string? Message => Body?["message"]?.GetValue<string>();

    public string? Reason => Body?["reason"]?.GetValue<string>();

    public string ResourceVersion => Body?["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";

    public IReadOnlyList<string> Warnings => Headers.TryGetValues("Warning", out var w) ? [.. w] : [];

    public override string ToString() => $"{Code} {Body?.ToJsonString()}";
}

/// <summary>HTTPS client for the control plane, trusting only its CA, presenting a client certificate when given one.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(Uri baseAddress, X509Certificate2 ca, X509Certificate2? clientCertificate, string? bearerToken = null, Version? httpVersion = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(cert));
                },
            },
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (httpVersion is not null)
        {
            _http.DefaultRequestVersion = httpVersion;
            _http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (bearerToken is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
    }

    public Task<ApiResponse> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, null, accept);

    public Task<ApiResponse> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json");

    public Task<ApiResponse> PostAsync(string path, string body, string contentType = "application/json") => SendAsync(HttpMethod.Post, path, body, contentType);

    public Task<ApiResponse> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body.ToJsonString(), "application/json");

    public Task<ApiResponse> PatchAsync(string path, string body, string contentType = "application/merge-patch+json") => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<ApiResponse> DeleteAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Delete, path, body?.ToJsonString(), body is null ? null : "application/json");

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonNode? json = null;
        if (text.Length > 0 && (text[0] == '{' || text[0] == '['))
        {
            json = JsonNode.Parse(text);
        }

        return new ApiResponse(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.ToString() ?? "");
    }

    /// <summary>A GET whose body is text (pod logs): the body, or the Status JSON of an error.</summary>
    public async Task<string> GetTextAsync(string path)
    {
        using var response = await _http.GetAsync(path, TestContext.Current.CancellationToken);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A streamed GET (<c>log?follow=true</c>): the body as it arrives.</summary>
    public async Task<Stream> StreamAsync(string path, CancellationToken ct)
    {
        var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStreamAsync(ct);
    }

    /// <summary>Opens a watch; events are read one line at a time.</summary>
    public async Task<WatchStream> WatchAsync(string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return new WatchStream(request, response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A watch response read as JSON lines. Waits are bounded so a missing event fails rather than hangs.</summary>
internal sealed class WatchStream : IDisposable
{
    private readonly HttpRequestMessage _request;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    public WatchStream(HttpRequestMessage request, HttpResponseMessage response, Stream body)
    {
        _request = request;
        _response = response;
        _reader = new StreamReader(body);
    }

    public HttpStatusCode Status => _response.StatusCode;

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<(string Type, JsonObject Object)?> NextAsync(TimeSpan? within = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within ?? TimeSpan.FromSeconds(15));
        var line = await _reader.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            return null;
        }

        var e = JsonNode.Parse(line)!.AsObject();
        return (e["type"]!.GetValue<string>(), e["object"]!.AsObject());
    }

    /// <summary>Skips events until one satisfies <paramref name="match"/>.</summary>
    public async Task<(string Type, JsonObject Object)> NextMatchingAsync(Func<string, JsonObject, bool> match)
    {
        while (true)
        {
            var e = await NextAsync() ?? throw new InvalidOperationException("watch ended before the expected event");
            if (match(e.Type, e.Object))
            {
                return e;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
        _request.Dispose();
    }
}
