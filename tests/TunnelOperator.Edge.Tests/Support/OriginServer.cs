using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TunnelOperator.Edge.Tests.Support;

/// <summary>
/// The local service behind a tunnel in tests: a real Kestrel server on loopback that
/// reports what it received, streams and sinks large bodies, echoes WebSockets, and can
/// hold requests open until a test releases them.
/// </summary>
internal sealed class OriginServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OriginServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>One entry per request that reached the origin: method and raw target.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>Signalled once per /hold request that is being held.</summary>
    public Channel<string> Held { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Signalled once per /hold request whose client went away.</summary>
    public Channel<string> Aborted { get; } = Channel.CreateUnbounded<string>();

    public void ReleaseHeld()
    {
        var previous = Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    public static async Task<OriginServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var origin = new OriginServer(app);
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            origin.Seen.Enqueue($"{context.Request.Method} {context.Features.Get<IHttpRequestFeature>()!.RawTarget}");
            await next(context);
        });
        app.Map("/echo", async context =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var report = new Dictionary<string, object?>
            {
                ["method"] = context.Request.Method,
                ["target"] = context.Features.Get<IHttpRequestFeature>()!.RawTarget,
                ["protocol"] = context.Request.Protocol,
                ["remote"] = context.Connection.RemoteIpAddress?.ToString(),
                ["body"] = System.Text.Encoding.UTF8.GetString(body.ToArray()),
                ["headers"] = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            };
            context.Response.Headers["X-Origin"] = "test-origin";
            await context.Response.WriteAsJsonAsync(report);
        });
        app.MapGet("/bytes/{count:long}", async (long count, HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            if (context.Request.Query.ContainsKey("length"))
            {
                context.Response.ContentLength = count;
            }

            var block = Pattern(64 * 1024);
            for (long sent = 0; sent < count; sent += block.Length)
            {
                var n = (int)Math.Min(block.Length, count - sent);
                await context.Response.Body.WriteAsync(block.AsMemory(0, n), context.RequestAborted);
            }
        });
        app.MapPost("/sink", async context =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                total += read;
            }

            await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["length"] = total, ["sha256"] = Convert.ToHexStringLower(sha.GetHashAndReset()) });
        });
        app.MapGet("/hold", async context =>
        {
            var release = origin._release.Task;
            await origin.Held.Writer.WriteAsync(context.TraceIdentifier);
            try
            {
                await release.WaitAsync(context.RequestAborted);
                await context.Response.WriteAsync("released");
            }
            catch (OperationCanceledException)
            {
                await origin.Aborted.Writer.WriteAsync(context.TraceIdentifier);
            }
        });
        app.MapGet("/sse", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            for (var i = 0; i < 3; i++)
            {
                await context.Response.WriteAsync($"data: event-{i}\n\n");
                await context.Response.Body.FlushAsync();
                await origin._release.Task.WaitAsync(context.RequestAborted);
            }
        });
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
            }
        });
        // 204 and 304 responses carry no body (RFC 9110 §15.3.5, §15.4.5).
        app.MapGet("/status/{code:int}", (int code) => code is 204 or 304
            ? Results.StatusCode(code)
            : Results.Text($"status {code}", statusCode: code));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return origin;
    }

    /// <summary>The deterministic bytes /bytes serves, so a download can be verified.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + (i >> 8));
        }

        return bytes;
    }

    public static JsonElement ParseJson(string text) => JsonDocument.Parse(text).RootElement;

    public async ValueTask DisposeAsync()
    {
        ReleaseHeld();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
