namespace TunnelOperator.Crds.Tests.Support;

/// <summary>Finds the repository the generated manifests and samples are committed in.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string CrdBases => Path.Combine(Root, "config", "crd", "bases");

    public static string Samples => Path.Combine(Root, "config", "samples");

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
