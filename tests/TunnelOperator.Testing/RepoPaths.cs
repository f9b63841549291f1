namespace TunnelOperator.Testing;

/// <summary>Finds the repository and the built programs the end-to-end tests run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Tunneld => Program("tunneld");

    public static string Tunnelctl => Program("tunnelctl");

    private static string Program(string name)
    {
        var path = Path.Combine(Root, "bin", name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: run 'make build' (make test does it) before the end-to-end tests");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TunnelOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (TunnelOperator.sln) above " + AppContext.BaseDirectory);
    }
}
