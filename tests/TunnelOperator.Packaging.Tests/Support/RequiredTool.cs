namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>
/// A tool a test needs (kubectl, Go and its Debian packages). Missing, it fails the test with what to
/// install (make test installs all of them), so a missing install step never passes silently.
/// </summary>
internal static class RequiredTool
{
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

    public static void Missing(string message) => Assert.Fail(message);
}
