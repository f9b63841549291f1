using TunnelOperator.Testing;

namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>kubectl with the assertions the packaging tests share.</summary>
internal sealed class Kubectl(KubectlRunner runner)
{
    /// <summary>A kubectl for commands that need no server (<c>kustomize</c>): its kubeconfig does not exist.</summary>
    public static Kubectl Offline(string binary) =>
        new(new KubectlRunner(RequiredTool.Kubectl(binary), Path.Combine(Path.GetTempPath(), "no-such-kubeconfig")));

    public Task<KubectlResult> TryAsync(params string[] args) => runner.RunAsync(args, TestContext.Current.CancellationToken);

    public Task<KubectlResult> TryWithInputAsync(string input, params string[] args) => runner.RunAsync(args, TestContext.Current.CancellationToken, input);

    /// <summary>Runs kubectl, requires success, returns standard output.</summary>
    public async Task<string> RunAsync(params string[] args) => Checked(args, await TryAsync(args));

    public async Task<string> RunWithInputAsync(string input, params string[] args) => Checked(args, await TryWithInputAsync(input, args));

    private static string Checked(string[] args, KubectlResult result)
    {
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', args)}\n{result}");
        return result.StandardOutput;
    }
}
