namespace TunnelOperator.Kubernetes.Auth;

/// <summary>Supplies the bearer token for each request; null sends none.</summary>
internal interface ITokenSource
{
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}
