using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;

namespace TunnelOperator.ControlPlane.Server;

/// <summary>Reads a request body within the size limit and decodes it as JSON or YAML.</summary>
internal static class RequestBody
{
    public static async Task<(string? Text, ApiError? Error)> ReadTextAsync(HttpContext context, long limit)
    {
        var (bytes, error) = await ReadBytesAsync(context, limit);
        return error is not null ? (null, error) : (Encoding.UTF8.GetString(bytes!), null);
    }

    public static async Task<(byte[]? Bytes, ApiError? Error)> ReadBytesAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return (null, ApiError.RequestTooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, ApiError.RequestTooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    public static string MediaType(HttpContext context)
    {
        var ct = context.Request.ContentType ?? "";
        var semi = ct.IndexOf(';', StringComparison.Ordinal);
        return (semi < 0 ? ct : ct[..semi]).Trim().ToLowerInvariant();
    }

    /// <summary>Decodes JSON (or YAML when the media type says so); malformed input is a 400 saying what is wrong.</summary>
    public static (JsonNode? Node, ApiError? Error) Decode(string text, string mediaType)
    {
        var yaml = mediaType.Contains("yaml", StringComparison.Ordinal);
        if (yaml && TryParseJsonObject(text) is { } json)
        {
            // JSON is YAML: an apply patch that is a JSON object (as controllers send it) means the same parsed
            // either way, and the JSON parser is an order of magnitude cheaper than building a YAML tree.
            return (json, null);
        }

        try
        {
            var node = yaml ? YamlJson.Parse(text) : JsonNode.Parse(text, new JsonNodeOptions { PropertyNameCaseInsensitive = false }, new JsonDocumentOptions { MaxDepth = 256 });
            if (node is JsonObject obj)
            {
                // Force duplicate-key detection now rather than on first access.
                _ = obj.Count;
            }

            return (node, null);
        }
        catch (JsonException e)
        {
            return (null, ApiError.BadRequest($"couldn't get version/kind; json parse error: {e.Message}"));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            return (null, ApiError.BadRequest($"error converting YAML to JSON: yaml: {e.Message}"));
        }
        catch (ArgumentException e)
        {
            return (null, ApiError.BadRequest($"couldn't get version/kind; json parse error: {e.Message}"));
        }
    }

    /// <summary>The text as a JSON object if it is one, well-formed and without duplicate keys; otherwise null (the YAML path decides).</summary>
    private static JsonObject? TryParseJsonObject(string text)
    {
        var first = text.AsSpan().TrimStart();
        if (first.IsEmpty || first[0] != '{')
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(text, new JsonNodeOptions { PropertyNameCaseInsensitive = false }, new JsonDocumentOptions { MaxDepth = 256 }) is JsonObject obj)
            {
                _ = obj.Count; // duplicate keys throw here
                return obj;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
        }

        return null;
    }

    public static async Task<(JsonObject? Object, ApiError? Error)> ReadObjectAsync(HttpContext context, long limit)
    {
        var mediaType = MediaType(context);
        if (mediaType == ProtobufBody.MediaType)
        {
            var (bytes, readError) = await ReadBytesAsync(context, limit);
            return readError is not null ? (null, readError) : ProtobufBody.Decode(bytes!);
        }

        var (text, error) = await ReadTextAsync(context, limit);
        if (error is not null)
        {
            return (null, error);
        }

        if (mediaType.Length > 0 && mediaType is not ("application/json" or "application/yaml" or "*/*"))
        {
            return (null, ApiError.UnsupportedMediaType(mediaType, ["application/json", "application/yaml", ProtobufBody.MediaType]));
        }

        var (node, decodeError) = Decode(text!, mediaType);
        if (decodeError is not null)
        {
            return (null, decodeError);
        }

        return node is JsonObject obj
            ? (obj, null)
            : (null, ApiError.BadRequest("Object 'Kind' is missing in '" + text + "'"));
    }
}
