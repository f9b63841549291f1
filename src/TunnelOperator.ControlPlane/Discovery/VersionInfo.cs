using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Discovery;

/// <summary>
/// <c>/version</c>. kubectl warns when its minor version is more than one away from the server's, so the
/// control plane reports the Kubernetes API level it follows (1.33).
/// </summary>
internal static class VersionInfo
{
    public const string Major = "1";
    public const string Minor = "33";
    public const string GitVersion = "v1.33.0-tunneld";

    public static JsonObject Document() => new()
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["emulationMajor"] = Major,
        ["emulationMinor"] = Minor,
        ["minCompatibilityMajor"] = Major,
        ["minCompatibilityMinor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.24.0",
        ["compiler"] = "gc",
        ["platform"] = OperatingSystem.IsWindows() ? "windows/amd64" : "linux/amd64",
    };
}
