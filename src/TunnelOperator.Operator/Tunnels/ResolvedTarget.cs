namespace TunnelOperator.Operator.Tunnels;

/// <summary>The URL the agent dials, or why there is none.</summary>
internal sealed record ResolvedTarget(string? Url, string? Problem)
{
    public static ResolvedTarget Ok(string url) => new(url, null);

    public static ResolvedTarget Invalid(string problem) => new(null, problem);
}
