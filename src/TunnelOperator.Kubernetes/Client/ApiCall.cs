using System.Net.Http.Headers;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>One request to the API: verb, path with query, body, and a description for errors and logs.</summary>
internal sealed record ApiCall(HttpMethod Method, string PathAndQuery, string Operation)
{
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    public HttpContent? CreateContent()
    {
        if (Body is null)
        {
            return null;
        }

        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new MediaTypeHeaderValue(ContentType ?? "application/json");
        return content;
    }
}
