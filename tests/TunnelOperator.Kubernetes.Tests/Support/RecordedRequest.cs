namespace TunnelOperator.Kubernetes.Tests.Support;

/// <summary>One request as the fake API server saw it.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    string? ContentType,
    string Body,
    string? Authorization,
    string? ClientCertificateSubject,
    string Protocol,
    string? UserAgent,
    string? Accept)
{
    public string? this[string queryParameter] => Query.TryGetValue(queryParameter, out var value) ? value : null;
}
