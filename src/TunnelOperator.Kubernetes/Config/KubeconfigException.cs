namespace TunnelOperator.Kubernetes.Config;

/// <summary>
/// Client configuration could not be loaded. The message names the file and the field (e.g.
/// <c>users[name=alice].user.client-key-data</c>) and never quotes a credential.
/// </summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException(string message)
        : base(message)
    {
    }

    public KubeconfigException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public KubeconfigException(string? filePath, string? field, string problem, Exception? innerException = null)
        : base(Describe(filePath, field, problem), innerException)
    {
        FilePath = filePath;
        Field = field;
    }

    public KubeconfigException()
    {
    }

    /// <summary>The file at fault, if one is.</summary>
    public string? FilePath { get; }

    /// <summary>The field at fault, in kubeconfig terms, if one is.</summary>
    public string? Field { get; }

    private static string Describe(string? filePath, string? field, string problem) =>
        (filePath, field) switch
        {
            (null, null) => problem,
            (null, _) => $"{field}: {problem}",
            (_, null) => $"{filePath}: {problem}",
            _ => $"{filePath}: {field}: {problem}",
        };
}
