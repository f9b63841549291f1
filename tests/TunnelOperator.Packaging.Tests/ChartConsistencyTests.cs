using System.Text.Json.Nodes;
using TunnelOperator.Packaging.Tests.Support;

namespace TunnelOperator.Packaging.Tests;

/// <summary>
/// The Helm chart and config/ install the same operator: the same CRDs byte for byte, the same rules, and a
/// manager container with the same command, flags, environment, ports, probes and image, compared between
/// the rendered chart (default values) and the kustomize output users apply.
/// </summary>
public sealed class ChartConsistencyTests
{
    private static async Task<JsonObject> ConfigObjectAsync(string kind)
    {
        var rendered = await Kubectl.Offline(RequiredTool.Kubectls[0]).RunAsync("kustomize", Repository.Config("default"));
        return YamlDocuments.Parse(rendered).Single(o => o["kind"]!.GetValue<string>() == kind);
    }

    private static async Task<JsonObject> ChartObjectAsync(string kind, string? nameSuffix = null) =>
        (await HelmRender.RenderOkAsync()).Objects.Single(o => o["kind"]!.GetValue<string>() == kind
            && (nameSuffix is null || o["metadata"]!["name"]!.GetValue<string>().EndsWith(nameSuffix, StringComparison.Ordinal)));

    private static JsonObject Container(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().OfType<JsonObject>().Single(c => c["name"]!.GetValue<string>() == "manager");

    [Fact]
    public void ChartCrds_AreTheGeneratedBasesByteForByte()
    {
        var bases = Repository.Config("crd", "bases");
        var chartCrds = Path.Combine(Repository.Chart, "crds");
        var names = Directory.GetFiles(bases).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(chartCrds).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(bases, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(chartCrds, name!))),
                $"charts/tunnel-operator/crds/{name} differs from config/crd/bases/{name}: run `make manifests`, which writes both");
        }
    }

    [Fact]
    public async Task ChartClusterRoleRules_AreTheConfigClusterRoleRules()
    {
        var configRules = YamlDocuments.ParseFile("config", "rbac", "role.yaml").Single()["rules"];
        var chartFileRules = YamlDocuments.ParseNode(File.ReadAllText(Path.Combine(Repository.Chart, "files", "rbac-rules.yaml")));
        Assert.True(JsonNode.DeepEquals(configRules, chartFileRules),
            $"charts/tunnel-operator/files/rbac-rules.yaml must hold config/rbac/role.yaml's rules:\n{configRules}\nvs\n{chartFileRules}");
        var rendered = await ChartObjectAsync("ClusterRole");
        Assert.True(JsonNode.DeepEquals(configRules, rendered["rules"]), $"the rendered ClusterRole's rules differ from config/rbac/role.yaml:\n{rendered["rules"]}");
    }

    [Fact]
    public async Task LeaderElectionRoleRules_AreTheSameInChartAndConfig()
    {
        var configRules = YamlDocuments.ParseFile("config", "rbac", "leader_election_role.yaml").Single()["rules"];
        var chartRules = (await ChartObjectAsync("Role", "-leader-election"))["rules"];
        Assert.True(JsonNode.DeepEquals(configRules, chartRules), $"leader election rules differ:\nconfig: {configRules}\nchart: {chartRules}");
    }

    [Theory]
    [InlineData("command")]
    [InlineData("args")]
    [InlineData("env")]
    [InlineData("ports")]
    [InlineData("livenessProbe")]
    [InlineData("readinessProbe")]
    [InlineData("resources")]
    [InlineData("securityContext")]
    public async Task ManagerContainerField_IsTheSameInChartAndConfig(string field)
    {
        var config = Container(await ConfigObjectAsync("Deployment"))[field];
        var chart = Container(await ChartObjectAsync("Deployment"))[field];
        Assert.NotNull(config);
        Assert.True(JsonNode.DeepEquals(config, chart), $"containers[manager].{field} differs:\nconfig/default: {config?.ToJsonString()}\nchart: {chart?.ToJsonString()}");
    }

    [Theory]
    [InlineData("securityContext")]
    [InlineData("terminationGracePeriodSeconds")]
    public async Task ManagerPodField_IsTheSameInChartAndConfig(string field)
    {
        var config = (await ConfigObjectAsync("Deployment"))["spec"]!["template"]!["spec"]![field];
        var chart = (await ChartObjectAsync("Deployment"))["spec"]!["template"]!["spec"]![field];
        Assert.True(JsonNode.DeepEquals(config, chart), $"pod {field} differs:\nconfig/default: {config?.ToJsonString()}\nchart: {chart?.ToJsonString()}");
    }

    [Fact]
    public async Task ReplicasAndLeaderElection_DefaultTheSame()
    {
        var config = await ConfigObjectAsync("Deployment");
        var chart = await ChartObjectAsync("Deployment");
        Assert.Equal(config["spec"]!["replicas"]!.GetValue<long>(), chart["spec"]!["replicas"]!.GetValue<long>());
        Assert.Contains("--leader-elect", PolicyRules.Strings(Container(config)["args"]));
    }

    [Fact]
    public async Task ImageDefaults_AgreeAndThePodsTheOperatorMakesUseTheSameImage()
    {
        var configContainer = Container(await ConfigObjectAsync("Deployment"));
        var chartContainer = Container(await ChartObjectAsync("Deployment"));
        var configImage = configContainer["image"]!.GetValue<string>();
        var chartImage = chartContainer["image"]!.GetValue<string>();
        var appVersion = YamlDocuments.ParseFile("charts", "tunnel-operator", "Chart.yaml").Single()["appVersion"]!.GetValue<string>();

        Assert.Equal(chartImage, configImage);
        Assert.EndsWith(":" + appVersion, configImage, StringComparison.Ordinal);
        Assert.Contains("--image=" + configImage, PolicyRules.Strings(configContainer["args"]));
        Assert.Contains("--image=" + chartImage, PolicyRules.Strings(chartContainer["args"]));

        // The programs carry the same version: it is their hello and the operator's default image tag.
        var version = System.Xml.Linq.XDocument.Parse(Repository.Read("Directory.Build.props")).Descendants("Version").Single().Value;
        Assert.Equal(appVersion, version);
    }
}
