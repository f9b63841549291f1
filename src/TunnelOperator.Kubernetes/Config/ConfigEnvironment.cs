namespace TunnelOperator.Kubernetes.Config;

/// <summary>
/// What configuration loading reads from the process: environment variables, the home directory
/// and the service-account mount. Tests pass their own so they never touch the real ones.
/// </summary>
internal sealed record ConfigEnvironment(Func<string, string?> Variable, string HomeDirectory, string ServiceAccountDirectory)
{
    /// <summary>Where the kubelet mounts a pod's service-account credentials.</summary>
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static ConfigEnvironment Process { get; } = new(
        Environment.GetEnvironmentVariable,
        Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        DefaultServiceAccountDirectory);
}
