using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>Writing JSON bodies, Status errors and Warning headers.</summary>
internal static class Responses
{
    public const string Json = "application/json";

    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body, string contentType = Json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache, private";
        var bytes = Serialize(body);
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }

    public static byte[] Serialize(JsonNode body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    public static Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, error.Code, error.ToStatus());
    }

    /// <summary>RFC 7234 warning headers as kube-apiserver sends them: <c>299 - "text"</c>.</summary>
    public static void AddWarnings(HttpContext context, IEnumerable<string> warnings)
    {
        foreach (var w in warnings)
        {
            var escaped = new StringBuilder();
            foreach (var c in w)
            {
                if (c is '"' or '\\')
                {
                    escaped.Append('\\');
                }

                escaped.Append(c);
            }

            context.Response.Headers.Append("Warning", $"299 - \"{escaped}\"");
        }
    }

    /// <summary>A meta/v1 Status of success (deletes answer with one).</summary>
    public static JsonObject Success(ResourceDefinition def, string name, string uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["group"] = def.Group, ["kind"] = def.Resource, ["uid"] = uid },
    };
}
