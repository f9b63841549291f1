namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>
/// A tool a test needs (kubectl, Go and its Debian packages). Missing, it fails the test under CI=true, so a
/// missing install step never passes silently, and skips it on a developer's machine with what to install.
/// </summary>
internal static class RequiredTool
{
    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>kubectl 1.33 (the version the control plane reports) and the machine's default.</summary>
    public static IReadOnlyList<string> Kubectls { get; } = TunnelOperator.Testing.KubectlRunner.KnownBinaries;

    public static string Kubectl(string binary)
    {
        if (TunnelOperator.Testing.KubectlRunner.Unavailable(binary) is { } missing)
        {
            Missing(missing);
        }

        return binary;
    }

    public static void Missing(string message)
    {
        if (InCi)
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }
}
