namespace TunnelOperator.Edge.Tests.L4;

/// <summary>
/// The real peers the L4 tests drive (openssl, nginx, haproxy, curl). A missing one fails the
/// test with the package to install, so a run never passes by not testing.
/// </summary>
internal static class RealTools
{
    private static readonly Dictionary<string, (string Path, string Package)> Known = new()
    {
        ["openssl"] = ("/usr/bin/openssl", "openssl"),
        ["nginx"] = ("/usr/sbin/nginx", "nginx-light"),
        ["haproxy"] = ("/usr/sbin/haproxy", "haproxy"),
        ["curl"] = ("/usr/bin/curl", "curl"),
    };

    public static string Require(string tool)
    {
        var (path, package) = Known[tool];
        if (File.Exists(path))
        {
            return path;
        }

        // make test installs every peer; a missing one fails the run, never skips it.
        Assert.Fail($"{tool} is not installed ({path}); run 'make deps' or 'apt-get install {package}'");
        return path;
    }

    /// <summary>Runs curl and returns its exit code, stdout and stderr (verbose output goes to stderr).</summary>
    public static async Task<(int Code, string Out, string Err)> CurlAsync(params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(Require("curl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--silent", "--show-error", "--max-time", "20" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await stdout, await stderr);
    }
}
