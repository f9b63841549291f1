namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// Maps the program a container runs (<c>command[0]</c>, or the image entrypoint) to a file on this
/// machine, per <see cref="WorkloadRunnerOptions.Programs"/>: relative paths are looked up from the
/// repository root (found upwards from the working directory and from the executable), then next to the
/// running executable.
/// </summary>
internal sealed class ProgramResolver
{
    private readonly Dictionary<string, string?> _resolved = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> _programs;

    public ProgramResolver(IReadOnlyDictionary<string, string> programs) => _programs = programs;

    public IEnumerable<string> Names => _programs.Keys;

    /// <summary>The file to run, or null when the name is not one of the suite's programs or its file is missing.</summary>
    public string? Resolve(string command)
    {
        var name = Path.GetFileName(command);
        if (!_programs.TryGetValue(name, out var configured))
        {
            return null;
        }

        lock (_resolved)
        {
            if (!_resolved.TryGetValue(name, out var path) || path is null || !File.Exists(path))
            {
                path = Candidates(configured).FirstOrDefault(File.Exists);
                _resolved[name] = path;
            }

            return path;
        }
    }

    private static IEnumerable<string> Candidates(string configured)
    {
        if (Path.IsPathRooted(configured))
        {
            yield return configured;
            yield break;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            if (RepositoryRoot(start) is { } root)
            {
                yield return Path.GetFullPath(Path.Combine(root, configured));
            }
        }

        yield return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, configured));
        yield return Path.Combine(AppContext.BaseDirectory, Path.GetFileName(configured));
    }

    private static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TunnelOperator.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
