using System.Text.Json;
using System.Text.Json.Nodes;
using TunnelOperator.Crds.Common;
using TunnelOperator.Crds.EdgeNodes;
using TunnelOperator.Crds.Hives;
using TunnelOperator.Crds.PortForwards;
using TunnelOperator.Crds.TenantInvites;
using TunnelOperator.Crds.Tests.Support;
using TunnelOperator.Crds.Tunnels;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Crds.Tests.Kinds;

/// <summary>
/// The samples under config/samples are objects the API server would accept, after the same
/// defaulting, and that the operator reads into its types and finds consistent.
/// </summary>
public sealed class SampleTests
{
    public static TheoryData<string> Kinds() => new(Manifests.Kinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Sample_SatisfiesTheGeneratedSchema(string kind)
    {
        var sample = ReadSample(kind);
        var schema = Manifests.Schema(kind);
        SchemaValidator.ApplyDefaults(sample, schema);

        var errors = SchemaValidator.Validate(sample, schema);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(CrdGroup.ApiVersion, sample["apiVersion"]!.GetValue<string>());
        Assert.Equal(kind, sample["kind"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Sample_ReadsIntoItsType_AndPassesTheCrossFieldRules(string kind)
    {
        var json = ReadSample(kind).ToJsonString();
        IReadOnlyList<SpecViolation> violations = kind switch
        {
            "Tunnel" => Read<Tunnel>(json).Spec.Validate(),
            "EdgeNode" => Read<EdgeNode>(json).Spec.Validate(),
            "TenantInvite" => Read<TenantInvite>(json).Spec.Validate(),
            "Hive" => Read<Hive>(json).Spec.Validate(),
            "PortForward" => Read<PortForward>(json).Spec.Validate(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.Empty(violations);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Sample_WrittenBackByItsType_SatisfiesTheSchemaToo(string kind)
    {
        var json = ReadSample(kind).ToJsonString();
        var written = kind switch
        {
            "Tunnel" => Rewrite<Tunnel>(json),
            "EdgeNode" => Rewrite<EdgeNode>(json),
            "TenantInvite" => Rewrite<TenantInvite>(json),
            "Hive" => Rewrite<Hive>(json),
            "PortForward" => Rewrite<PortForward>(json),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var errors = SchemaValidator.Validate(written, Manifests.Schema(kind));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void SchemaChecker_CatchesWhatTheServerWouldRefuse()
    {
        var sample = ReadSample("Tunnel");
        sample["spec"]!["protocol"] = "quic";
        sample["spec"]!["name"] = "Shop";
        sample["spec"]!["edgeRef"]!.AsObject().Remove("name");
        sample["spec"]!["agent"]!["replicas"] = 11;
        sample["spec"]!["tpyo"] = true;
        var schema = Manifests.Schema("Tunnel");
        SchemaValidator.ApplyDefaults(sample, schema);

        var errors = SchemaValidator.Validate(sample, schema);

        Assert.True(errors.Count == 5, string.Join("\n", errors));
        Assert.Contains(errors, e => e.StartsWith("spec.protocol:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("spec.name:", StringComparison.Ordinal));
        Assert.Contains("spec.edgeRef.name: required", errors);
        Assert.Contains(errors, e => e.StartsWith("spec.agent.replicas:", StringComparison.Ordinal));
        Assert.Contains("spec.tpyo: unknown field", errors);
    }

    [Fact]
    public void SchemaChecker_RejectsDuplicateMapListKeys()
    {
        var sample = ReadSample("PortForward");
        sample["spec"]!["targets"]![1]!["name"] = "postgres";

        var errors = SchemaValidator.Validate(sample, Manifests.Schema("PortForward"));

        Assert.Contains(errors, e => e.StartsWith("spec.targets: duplicate entry", StringComparison.Ordinal));
    }

    [Fact]
    public void Samples_AreOnePerKind()
    {
        // Besides one sample per kind there are plain Kubernetes objects (the sample origin), named otherwise.
        var files = Directory.GetFiles(RepoPaths.Samples, "tunneloperator.io_*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(Manifests.Kinds.Select(SampleFileName).Order(StringComparer.Ordinal), files);
    }

    private static string SampleFileName(string kind) => $"tunneloperator.io_v1alpha1_{kind.ToLowerInvariant()}.yaml";

    private static JsonObject ReadSample(string kind) =>
        (JsonObject)YamlJson.Parse(File.ReadAllText(Path.Combine(RepoPaths.Samples, SampleFileName(kind))));

    private static T Read<T>(string json)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        JsonSerializer.Deserialize(json, T.JsonType) ?? throw new InvalidOperationException("null sample");

    private static JsonNode Rewrite<T>(string json)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        JsonSerializer.SerializeToNode(Read<T>(json), T.JsonType)!;
}
