using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tunneld.Commands;

/// <summary>
/// <c>tunneld echo</c>: a small HTTP origin that answers every request with the request it
/// saw, as JSON. It ships in the one image, so samples and end-to-end tests have an origin
/// that runs the same on a laptop, under the local control plane and in a real cluster.
/// </summary>
internal static class EchoCommand
{
    /// <summary>Bodies longer than this are summarised by length only.</summary>
    private const int MaxEchoedBody = 64 * 1024;

    public static Command Create()
    {
        var addr = EnvOption.String("--addr", "TUNNELD_ECHO_ADDR", "Listen address, HOST:PORT (port 0 picks a free one)", "127.0.0.1:8080");
        var command = new Command("echo", "Run an HTTP echo origin: every response is the request it answers, as JSON");
        command.Options.Add(addr);
        command.SetAction(async (result, ct) =>
        {
            IPEndPoint? endPoint;
            try
            {
                endPoint = Endpoints.Parse(result.GetValue(addr), "--addr");
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }

            if (endPoint is null)
            {
                Console.Error.WriteLine("error: --addr cannot be 'off' for the echo server");
                return 2;
            }

            return await RunAsync(endPoint, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(IPEndPoint endPoint, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint);
        });
        await using var app = builder.Build();
        app.Run(EchoAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.Out.WriteLine($"tunneld echo listening on {address}");
        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    private static async Task EchoAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            length += read;
            if (body.Length < MaxEchoedBody)
            {
                body.Write(buffer, 0, (int)Math.Min(read, MaxEchoedBody - body.Length));
            }
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers["X-Echo-Server"] = "tunneld";
        await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("method", request.Method);
        writer.WriteString("path", request.Path.Value);
        writer.WriteString("query", request.QueryString.Value);
        writer.WriteString("protocol", request.Protocol);
        writer.WriteString("remote", $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}");
        writer.WriteStartObject("headers");
        foreach (var (name, values) in request.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            writer.WriteString(name, values.ToString());
        }

        writer.WriteEndObject();
        writer.WriteNumber("bodyLength", length);
        if (length > 0)
        {
            writer.WriteString("body", length <= MaxEchoedBody ? Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length) : null);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
