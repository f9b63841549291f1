using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Telemetry.Tests.Support;

internal sealed record ReceivedExport(string Path, string? ContentType, byte[] Body);

/// <summary>
/// A collector stand-in on a loopback Kestrel: records every POST and answers as an OTLP
/// receiver would (an empty export response), over HTTP/1.1 for OTLP/HTTP or cleartext
/// HTTP/2 for OTLP/gRPC. Tests await the first export per path instead of polling.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReceivedExport>> _firsts = new(StringComparer.Ordinal);

    private OtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedExport> Received { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync(bool grpc = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseUrl = new Uri(address);
        return receiver;
    }

    /// <summary>The first export that reached <paramref name="path"/>.</summary>
    public Task<ReceivedExport> FirstAsync(string path) => First(path).Task;

    private TaskCompletionSource<ReceivedExport> First(string path) =>
        _firsts.GetOrAdd(path, _ => new TaskCompletionSource<ReceivedExport>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var received = new ReceivedExport(context.Request.Path.Value ?? string.Empty, context.Request.ContentType, body.ToArray());
        Received.Enqueue(received);
        First(received.Path).TrySetResult(received);

        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // gRPC over HTTP/2: one length-prefixed message (uncompressed, empty) and an OK status trailer.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
            context.Response.AppendTrailer("grpc-status", "0");
            return;
        }

        // OTLP/HTTP: an empty Export*ServiceResponse is a full success.
        context.Response.ContentType = "application/x-protobuf";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
