namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>The repository the tests read: config/, charts/, the Dockerfile and the operator's sources.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "charts", "tunnel-operator");

    public static string Config(params string[] parts) => Path.Combine([Root, "config", .. parts]);

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => System.IO.File.ReadAllText(File(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "TunnelOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (TunnelOperator.sln) above " + AppContext.BaseDirectory);
    }
}
