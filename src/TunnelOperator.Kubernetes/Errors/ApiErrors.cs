using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Errors;

/// <summary>
/// Turns a failed response into a <see cref="KubernetesApiException"/>. The API answers errors
/// with a meta/v1 Status; anything else (a proxy's HTML, an empty body) becomes a Status with the
/// HTTP code, the reason apimachinery would give it, and the start of the body as message.
/// </summary>
internal static class ApiErrors
{
    private const int MaxQuotedBody = 512;

    public static async Task<KubernetesApiException> FromResponseAsync(HttpResponseMessage response, string operation, int maxBytes, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response.Content, maxBytes, cancellationToken).ConfigureAwait(false);
        var status = TryParseStatus(body) ?? Synthesize((int)response.StatusCode, body);
        if (status.Code == 0)
        {
            status = status with { Code = (int)response.StatusCode };
        }

        if (status.Details?.RetryAfterSeconds is null && RetryAfterSeconds(response.Headers.RetryAfter) is int seconds)
        {
            status = status with { Details = (status.Details ?? new StatusDetails()) with { RetryAfterSeconds = seconds } };
        }

        return FromStatus(status, operation);
    }

    public static KubernetesApiException FromStatus(Status status, string operation) =>
        ResourceVersionExpiredException.Matches(status)
            ? new ResourceVersionExpiredException(status, operation)
            : new KubernetesApiException(status, operation);

    internal static Status? TryParseStatus(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var status = JsonSerializer.Deserialize(body, KubernetesJsonContext.Default.Status);
            return status is { Kind: "Status" } ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Status Synthesize(int code, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxQuotedBody)).Trim();
        return new Status
        {
            Result = Status.FailureStatus,
            Code = code,
            Reason = StatusReasons.ForCode(code),
            Message = text.Length == 0 ? $"the server answered {code} with no Status" : $"the server answered {code}: {text}",
        };
    }

    private static int? RetryAfterSeconds(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => (int)Math.Ceiling(delta.TotalSeconds),
        _ => null,
    };

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0 && buffer.Length < maxBytes)
        {
            buffer.Write(chunk, 0, (int)Math.Min(read, maxBytes - buffer.Length));
        }

        return buffer.ToArray();
    }
}
