namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>A probe by HTTP GET; 2xx and 3xx succeed.</summary>
public sealed record HttpGetAction
{
    public string? Path { get; init; }

    public IntOrString? Port { get; init; }

    public string? Host { get; init; }

    /// <summary><c>HTTP</c> or <c>HTTPS</c>.</summary>
    public string? Scheme { get; init; }

    public IReadOnlyList<HttpHeader>? HttpHeaders { get; init; }
}
