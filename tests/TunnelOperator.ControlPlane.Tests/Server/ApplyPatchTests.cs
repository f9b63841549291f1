namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>Apply patches over HTTP: create on apply, managedFields, conflicts between managers and force.</summary>
public sealed class ApplyPatchTests(WidgetHarness harness) : IClassFixture<WidgetHarness>
{
    private ApiClient Api => harness.Inner.Api;

    private const string Apply = "application/apply-patch+yaml";

    private static string Config(string name, int port) => $"""
        apiVersion: example.tunneloperator.io/v1
        kind: Widget
        metadata:
          name: {name}
        spec:
          port: {port}
        """;

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns422()
    {
        var response = await Api.PatchAsync($"{Objects.Widgets}/ssa-nomanager", Config("ssa-nomanager", 80), Apply);
        Assert.Equal(422, response.Code);
        Assert.Contains("fieldManager: Required value", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_OnMissingObject_CreatesItOwnedByTheApplier()
    {
        var response = await Api.PatchAsync($"{Objects.Widgets}/ssa-create?fieldManager=alice", Config("ssa-create", 80), Apply);
        Assert.Equal(201, response.Code);
        var entry = response.Object["metadata"]!["managedFields"]![0]!;
        Assert.Equal("alice", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.NotNull(entry["fieldsV1"]!["f:spec"]!["f:port"]);
    }

    [Fact]
    public async Task Apply_WithAJsonBody_MeansWhatTheYamlBodyMeans()
    {
        // Controllers send apply patches as JSON (JSON is YAML); the server parses those as JSON.
        const string json = """{"apiVersion":"example.tunneloperator.io/v1","kind":"Widget","metadata":{"name":"ssa-json"},"spec":{"port":80}}""";
        var fromJson = await Api.PatchAsync($"{Objects.Widgets}/ssa-json?fieldManager=alice", json, Apply);
        var fromYaml = await Api.PatchAsync($"{Objects.Widgets}/ssa-yaml?fieldManager=alice", Config("ssa-yaml", 80), Apply);

        Assert.Equal(201, fromJson.Code);
        Assert.Equal(201, fromYaml.Code);
        Assert.Equal(80, fromJson.Object["spec"]!["port"]!.GetValue<long>());
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(fromYaml.Object["spec"], fromJson.Object["spec"]));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            fromYaml.Object["metadata"]!["managedFields"]![0]!["fieldsV1"], fromJson.Object["metadata"]!["managedFields"]![0]!["fieldsV1"]));

        var again = await Api.PatchAsync($"{Objects.Widgets}/ssa-json?fieldManager=alice", json, Apply);
        Assert.Equal(200, again.Code);
        Assert.Equal(fromJson.Object["metadata"]!["resourceVersion"]!.GetValue<string>(), again.Object["metadata"]!["resourceVersion"]!.GetValue<string>()); // no change, no write
    }

    [Fact]
    public async Task Apply_ConflictingManager_Gets409UntilForced()
    {
        Assert.Equal(201, (await Api.PatchAsync($"{Objects.Widgets}/ssa-conflict?fieldManager=alice", Config("ssa-conflict", 80), Apply)).Code);
        var conflict = await Api.PatchAsync($"{Objects.Widgets}/ssa-conflict?fieldManager=bob", Config("ssa-conflict", 90), Apply);
        Assert.Equal(409, conflict.Code);
        Assert.Equal("Conflict", conflict.Reason);
        Assert.StartsWith("Apply failed with 1 conflict: conflict with \"alice\"", conflict.Message, StringComparison.Ordinal);
        var cause = conflict.Object["details"]!["causes"]![0]!;
        Assert.Equal("FieldManagerConflict", cause["reason"]!.GetValue<string>());
        Assert.Equal(".spec.port", cause["field"]!.GetValue<string>());

        var forced = await Api.PatchAsync($"{Objects.Widgets}/ssa-conflict?fieldManager=bob&force=true", Config("ssa-conflict", 90), Apply);
        Assert.Equal(200, forced.Code);
        Assert.Equal(90, forced.Object["spec"]!["port"]!.GetValue<long>());
        var owners = forced.Object["metadata"]!["managedFields"]!.AsArray()
            .Where(e => e!["fieldsV1"]?["f:spec"]?["f:port"] is not null).Select(e => e!["manager"]!.GetValue<string>());
        Assert.Equal(["bob"], owners);
    }

    [Fact]
    public async Task Update_RecordsTheUpdatersManagedFields()
    {
        await Api.PostAsync($"{Objects.Widgets}?fieldManager=creator", Objects.Widget("ssa-update"));
        var patched = await Api.PatchAsync($"{Objects.Widgets}/ssa-update?fieldManager=patcher", """{"spec":{"port":81}}""");
        var managers = patched.Object["metadata"]!["managedFields"]!.AsArray().Select(e => (e!["manager"]!.GetValue<string>(), e["operation"]!.GetValue<string>())).ToList();
        Assert.Contains(("creator", "Update"), managers);
        Assert.Contains(("patcher", "Update"), managers);
    }

    [Fact]
    public async Task Apply_SameConfigurationTwice_IsANoOp()
    {
        var first = await Api.PatchAsync($"{Objects.Widgets}/ssa-noop?fieldManager=alice", Config("ssa-noop", 80), Apply);
        var second = await Api.PatchAsync($"{Objects.Widgets}/ssa-noop?fieldManager=alice", Config("ssa-noop", 80), Apply);
        Assert.Equal(200, second.Code);
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
    }
}
