using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Kubernetes.Tests.Support;

internal sealed record FakeApiServerOptions
{
    /// <summary>Require a client certificate from the test CA at the TLS handshake (the default), else none.</summary>
    public bool RequireClientCertificate { get; init; } = true;

    /// <summary>When set, requests must carry a bearer token this accepts (else 401).</summary>
    public Func<string, bool>? AcceptToken { get; init; }

    public HttpProtocols Protocols { get; init; } = HttpProtocols.Http1AndHttp2;
}

/// <summary>
/// A stand-in for kube-apiserver on loopback HTTPS, for unit tests of the client: it enforces
/// client-certificate (or token) authentication, checks verbs and content types, keeps objects in
/// memory with resourceVersions, answers errors with meta/v1 Status as the real server does, and
/// streams watches the test scripts. It implements only what the client's calls need.
/// </summary>
internal sealed partial class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeApiServerOptions _options;
    private readonly ConcurrentQueue<WatchScript> _watches = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _collections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _hangs = new(StringComparer.Ordinal);
    private long _resourceVersion = 100;

    private FakeApiServer(WebApplication app, FakeApiServerOptions options)
    {
        _app = app;
        _options = options;
    }

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Requests that reached the handler (authenticated at the TLS layer).</summary>
    public IReadOnlyList<RecordedRequest> RequestList => [.. Requests];

    public static async Task<FakeApiServer> StartAsync(FakeApiServerOptions? options = null)
    {
        options ??= new FakeApiServerOptions();
        var pki = TestPki.Instance;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = options.Protocols;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = pki.Server;
                https.ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => pki.IsTrustedClient(certificate);
            });
        }));
        var app = builder.Build();
        var server = new FakeApiServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address);
        return server;
    }

    /// <summary>The next watch request follows this script.</summary>
    public WatchScript ExpectWatch(WatchScript? script = null)
    {
        script ??= new WatchScript();
        _watches.Enqueue(script);
        return script;
    }

    /// <summary>Requests to <paramref name="path"/> get no answer until the client gives up; the task completes when one arrives.</summary>
    public Task HangOn(string path) =>
        _hangs.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Stores an object as if created, under e.g. <c>/api/v1/namespaces/default/configmaps</c>.</summary>
    public JsonObject Seed(string collectionPath, JsonObject value)
    {
        lock (_gate)
        {
            var stored = Stamp(value.DeepClone().AsObject(), NamespaceOf(collectionPath), created: true);
            Collection(collectionPath)[(string)stored["metadata"]!["name"]!] = stored;
            return stored.DeepClone().AsObject();
        }
    }

    public JsonObject? Stored(string collectionPath, string name)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(collectionPath, out var c) && c.TryGetValue(name, out var o) ? o.DeepClone().AsObject() : null;
        }
    }

    public RecordedRequest Single(string method, string? pathContains = null) =>
        Assert.Single(Requests, r => r.Method == method && (pathContains is null || r.Path.Contains(pathContains, StringComparison.Ordinal)));

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context);
        if (_options.AcceptToken is { } accept
            && !(request.Authorization is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) && accept(header["Bearer ".Length..])))
        {
            await StatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }

        if (_options.RequireClientCertificate && context.Connection.ClientCertificate is null)
        {
            await StatusAsync(context, 401, "Unauthorized", "no client certificate");
            return;
        }

        if (_hangs.TryGetValue(request.Path, out var hang))
        {
            hang.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (!Route.TryParse(request.Path, out var route))
        {
            await StatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
            return;
        }

        await DispatchAsync(context, request, route);
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.ContentType,
            body,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            context.Connection.ClientCertificate?.Subject,
            context.Request.Protocol,
            context.Request.Headers.UserAgent.ToString(),
            context.Request.Headers.Accept.ToString());
        Requests.Enqueue(request);
        return request;
    }

    internal static Task StatusAsync(HttpContext context, int code, string reason, string message, JsonObject? details = null) =>
        JsonAsync(context, code, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["details"] = details,
            ["code"] = code,
        });

    internal static async Task JsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private SortedDictionary<string, JsonObject> Collection(string path)
    {
        if (!_collections.TryGetValue(path, out var collection))
        {
            _collections[path] = collection = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        }

        return collection;
    }

    private static string? NamespaceOf(string collectionPath)
    {
        var parts = collectionPath.Split('/');
        var index = Array.IndexOf(parts, "namespaces");
        return index >= 0 && index + 2 < parts.Length ? parts[index + 1] : null;
    }

    private JsonObject Stamp(JsonObject value, string? ns, bool created)
    {
        var metadata = value["metadata"] as JsonObject ?? [];
        value["metadata"] = metadata;
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (created)
        {
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = "2026-11-24T13:12:51Z";
            metadata["generation"] = 1;
        }

        metadata["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return value;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var watch in _watches)
        {
            watch.End();
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>A parsed API path: group-version prefix, namespace, resource, name, subresource.</summary>
    internal sealed record Route(string GroupVersion, string? Namespace, string Plural, string? Name, string? Subresource)
    {
        public string CollectionPath => Namespace is null ? $"{GroupVersion}/{Plural}" : $"{GroupVersion}/namespaces/{Namespace}/{Plural}";

        public static bool TryParse(string path, out Route route)
        {
            route = null!;
            var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
            string groupVersion;
            string[] rest;
            if (segments is ["api", var version, .. var r1])
            {
                groupVersion = $"/api/{version}";
                rest = r1;
            }
            else if (segments is ["apis", var group, var version2, .. var r2])
            {
                groupVersion = $"/apis/{group}/{version2}";
                rest = r2;
            }
            else
            {
                return false;
            }

            string? ns = null;
            if (rest is ["namespaces", var name, "status" or "finalize"])
            {
                // A Namespace's own subresources, not a resource called "status" inside it.
                route = new Route(groupVersion, null, "namespaces", name, rest[2]);
                return true;
            }

            if (rest is ["namespaces", var n, _, ..])
            {
                ns = n;
                rest = rest[2..];
            }

            if (rest.Length is 0 or > 3)
            {
                return false;
            }

            route = new Route(groupVersion, ns, rest[0], rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
            return true;
        }
    }
}
