namespace TunnelOperator.Kubernetes.Auth;

/// <summary>A token that never changes (kubeconfig <c>token</c>).</summary>
internal sealed class StaticTokenSource(string token) : ITokenSource
{
    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(token);
}
