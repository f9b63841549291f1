namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// Which images the local runner can run: those of the suite's own image, matched by repository
/// (<c>repo</c> and <c>repo:*</c> match any tag or digest, <c>repo:tag</c> one tag).
/// </summary>
internal sealed class SuiteImages
{
    private readonly IReadOnlyList<string> _patterns;

    public SuiteImages(IReadOnlyList<string> patterns) => _patterns = patterns;

    public string Describe() => string.Join(", ", _patterns);

    public bool Matches(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return false;
        }

        var (repository, tag) = SplitImage(image);
        foreach (var pattern in _patterns)
        {
            var (patternRepo, patternTag) = SplitImage(pattern);
            if (!string.Equals(Normalize(patternRepo), Normalize(repository), StringComparison.Ordinal))
            {
                continue;
            }

            if (patternTag is null or "*" || patternTag == tag)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Repository and tag (or digest); the tag is null when the reference names none.</summary>
    private static (string Repository, string? Tag) SplitImage(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, null);
    }

    /// <summary><c>docker.io/library/x</c>, <c>docker.io/x</c> and <c>x</c> name the same repository.</summary>
    private static string Normalize(string repository)
    {
        foreach (var prefix in new[] { "docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/" })
        {
            if (repository.StartsWith(prefix, StringComparison.Ordinal))
            {
                return repository[prefix.Length..];
            }
        }

        return repository;
    }
}
