using System.Diagnostics;
using System.Text.Json.Nodes;

namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>What one <c>helm template</c>-like run printed.</summary>
internal sealed record HelmOutput(int ExitCode, string Manifests, string Error)
{
    public IReadOnlyList<JsonObject> Objects => YamlDocuments.Parse(Manifests);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Manifests}\n--- stderr\n{Error}";
}

/// <summary>
/// The chart rendered as <c>helm template</c> renders it, by HelmRender/main.go: Go's text/template with
/// sprig from Debian's packages (helm itself cannot be installed here), built once per test run in GOPATH
/// mode, with no module download.
/// </summary>
internal static class HelmRender
{
    private const string GoPath = "/usr/share/gocode";
    private static readonly string[] Packages = ["golang-go", "golang-github-masterminds-sprig-dev", "golang-gopkg-yaml.v2-dev"];
    private static readonly Lazy<Task<string?>> Binary = new(BuildAsync);

    /// <summary>Renders charts/tunnel-operator with the given flags (<c>--set a=b</c>, <c>--include-crds</c>, ...).</summary>
    public static Task<HelmOutput> RenderAsync(params string[] flags) => RenderChartAsync(Repository.Chart, flags);

    /// <summary>Renders the chart in <paramref name="chart"/> with the given flags.</summary>
    public static async Task<HelmOutput> RenderChartAsync(string chart, params string[] flags)
    {
        var binary = await Binary.Value;
        if (binary is null)
        {
            RequiredTool.Missing($"rendering the chart needs Go with sprig and yaml.v2: apt-get install -y --no-install-recommends {string.Join(' ', Packages)} (scripts/install-deps.sh test)");
        }

        var start = new ProcessStartInfo(binary!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var flag in flags.Append(chart))
        {
            start.ArgumentList.Add(flag);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new HelmOutput(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Renders with <paramref name="flags"/> and requires success.</summary>
    public static async Task<HelmOutput> RenderOkAsync(params string[] flags)
    {
        var output = await RenderAsync(flags);
        Assert.True(output.ExitCode == 0, $"helm template {string.Join(' ', flags)}\n{output}");
        return output;
    }

    private static async Task<string?> BuildAsync()
    {
        var go = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/lib/go/bin").Select(dir => Path.Combine(dir, "go")).FirstOrDefault(File.Exists);
        if (go is null
            || !File.Exists(Path.Combine(GoPath, "src/github.com/Masterminds/sprig/functions.go"))
            || !File.Exists(Path.Combine(GoPath, "src/gopkg.in/yaml.v2/yaml.go")))
        {
            return null;
        }

        var work = Directory.CreateTempSubdirectory("helm-render-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temp cleanup.
            }
        };
        File.Copy(Path.Combine(AppContext.BaseDirectory, "HelmRender", "main.go"), Path.Combine(work.FullName, "main.go"));
        var output = Path.Combine(work.FullName, "helm-render");
        var build = new ProcessStartInfo(go) { WorkingDirectory = work.FullName, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "build", "-o", output, "." })
        {
            build.ArgumentList.Add(argument);
        }

        build.Environment["GO111MODULE"] = "off";
        build.Environment["GOPATH"] = GoPath;
        // Go's build cache is safe to share between runs: sprig and its dependencies compile once per machine.
        build.Environment["GOCACHE"] = Path.Combine(Path.GetTempPath(), "tunneloperator-helm-render-gocache");
        build.Environment["GOFLAGS"] = string.Empty;
        build.Environment["GOPROXY"] = "off";
        build.Environment["HOME"] = work.FullName;
        using var process = Process.Start(build)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build of HelmRender/main.go failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return output;
    }
}
