using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using TunnelOperator.Kubernetes.Auth;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Errors;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// HTTP to the API server: one pooled <see cref="HttpClient"/> over <see cref="SocketsHttpHandler"/>
/// (HTTP/2 when the server offers it by ALPN, so many watches share one connection), the TLS rules
/// of the configuration, bearer tokens, per-call timeouts, and Status errors as exceptions.
/// </summary>
internal sealed class KubernetesTransport : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly ITokenSource? _tokens;
    private readonly KubernetesClientOptions _options;
    private readonly ILogger _logger;

    public KubernetesTransport(KubernetesClientConfiguration configuration, KubernetesClientOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _tokens = configuration.AccessToken is { } token
            ? new StaticTokenSource(token)
            : configuration.AccessTokenFile is { } file
                ? new FileTokenSource(file, configuration.TokenFileRefreshInterval, options.TimeProvider, logger)
                : null;

        _http = new HttpClient(CreateHandler(configuration), disposeHandler: true)
        {
            BaseAddress = configuration.Server,
            Timeout = Timeout.InfiniteTimeSpan, // per call instead: watches must not time out
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(Json);
    }

    public TimeProvider Time => _options.TimeProvider;

    public KubernetesClientOptions Options => _options;

    public ILogger Logger => _logger;

    internal static SocketsHttpHandler CreateHandler(KubernetesClientConfiguration configuration)
    {
        var validator = new ServerCertificateValidator(configuration.CertificateAuthorities, configuration.TlsServerName, configuration.InsecureSkipTlsVerify);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            // A watch can sit idle for minutes; pings find a dead HTTP/2 connection before the OS does.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            // The API server allows a bounded number of streams per connection; more watches open more connections.
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.GZip,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => validator.Validate(certificate, chain, errors),
            },
        };

        if (configuration.ClientCertificate is { } certificate)
        {
            handler.SslOptions.ClientCertificateContext = SslStreamCertificateContext.Create(certificate, configuration.ClientCertificateChain, offline: true);
        }

        if (configuration.Proxy is { } proxy)
        {
            handler.Proxy = new WebProxy(proxy);
            handler.UseProxy = true;
        }

        return handler;
    }

    /// <summary>Sends and decodes the answer; 404 yields default when <paramref name="notFoundIsDefault"/>.</summary>
    public Task<T?> SendAsync<T>(ApiCall call, JsonTypeInfo<T> result, bool notFoundIsDefault, CancellationToken cancellationToken) =>
        ExecuteAsync(
            call,
            notFoundIsDefault,
            async (response, ct) =>
            {
                await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                return await JsonSerializer.DeserializeAsync(stream, result, ct).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"{call.Operation}: the server answered null");
            },
            cancellationToken);

    /// <summary>Sends and returns the raw answer body; null on 404 when <paramref name="notFoundIsNull"/>.</summary>
    public Task<byte[]?> SendForBytesAsync(ApiCall call, bool notFoundIsNull, CancellationToken cancellationToken) =>
        ExecuteAsync<byte[]>(call, notFoundIsNull, (response, ct) => response.Content.ReadAsByteArrayAsync(ct), cancellationToken);

    /// <summary>
    /// Opens a streaming response (a watch): no call timeout, headers awaited only. The caller owns
    /// and disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(ApiCall call, CancellationToken cancellationToken)
    {
        using var request = await CreateRequestAsync(call, cancellationToken).ConfigureAwait(false);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfFailedAsync(call, response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<T?> ExecuteAsync<T>(ApiCall call, bool notFoundIsDefault, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = await CreateRequestAsync(call, linked.Token).ConfigureAwait(false);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (notFoundIsDefault && response.StatusCode == HttpStatusCode.NotFound)
            {
                return default;
            }

            await ThrowIfFailedAsync(call, response, linked.Token).ConfigureAwait(false);
            return await read(response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{call.Operation}: no complete answer within {_options.RequestTimeout.TotalSeconds:0.###}s", e);
        }
    }

    private async Task<HttpRequestMessage> CreateRequestAsync(ApiCall call, CancellationToken cancellationToken)
    {
        // A request message carries its own version (1.1 unless set); HttpClient's defaults apply
        // only to its convenience methods. Ask for HTTP/2 and let ALPN settle for 1.1 if need be.
        var request = new HttpRequestMessage(call.Method, call.PathAndQuery)
        {
            Content = call.CreateContent(),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (_tokens is not null && await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private async Task ThrowIfFailedAsync(ApiCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Headers.TryGetValues("Warning", out var warnings))
        {
            foreach (var warning in warnings)
            {
                Log.ApiWarning(_logger, call.Operation, warning);
            }
        }

        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var error = await ApiErrors.FromResponseAsync(response, call.Operation, _options.MaxEventBytes, cancellationToken).ConfigureAwait(false);
        Log.RequestFailed(_logger, call.Operation, error.Code, error.Reason);
        throw error;
    }

    public void Dispose() => _http.Dispose();
}
