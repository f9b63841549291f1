using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Tests.Server;

/// <summary>A harness with the sample Widget CRD registered.</summary>
public sealed class WidgetHarness : IAsyncLifetime
{
    public ControlPlaneHarness Inner { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Inner.InitializeAsync();
        var created = await Inner.Api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Objects.WidgetCrd());
        Assert.Equal(201, created.Code);
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}

public sealed class CustomResourceTests(WidgetHarness harness) : IClassFixture<WidgetHarness>
{
    private ApiClient Api => harness.Inner.Api;

    [Fact]
    public async Task Crd_Create_SetsEstablishedAndServesTheResource()
    {
        var crd = await Api.GetAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.tunneloperator.io");
        var conditions = crd.Object["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "NamesAccepted" && c["status"]!.GetValue<string>() == "True");
        Assert.Equal("Widget", crd.Object["status"]!["acceptedNames"]!["kind"]!.GetValue<string>());

        var resources = await Api.GetAsync("/apis/example.tunneloperator.io/v1");
        var widgets = resources.Object["resources"]!.AsArray().First(r => r!["name"]!.GetValue<string>() == "widgets")!;
        Assert.Equal("wg", widgets["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("tunnels", widgets["categories"]![0]!.GetValue<string>());
        Assert.Contains(resources.Object["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "widgets/status");
    }

    [Fact]
    public async Task Crd_WithTwoStorageVersionsAndNoSchema_Returns422NamingTheFields()
    {
        var bad = Objects.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.example.tunneloperator.io"},
             "spec":{"group":"example.tunneloperator.io","scope":"Namespaced","names":{"plural":"gadgets","kind":"Gadget"},
               "versions":[{"name":"v1","served":true,"storage":true},{"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
            """);
        var response = await Api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", bad);
        Assert.Equal(422, response.Code);
        Assert.Equal("Invalid", response.Reason);
        var fields = response.Object["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema", fields);
        Assert.Contains("spec.versions", fields);
        Assert.StartsWith("CustomResourceDefinition.apiextensions.k8s.io \"gadgets.example.tunneloperator.io\" is invalid: [", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crd_NonStructuralSchema_Returns422()
    {
        var bad = Objects.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"things.example.tunneloperator.io"},
             "spec":{"group":"example.tunneloperator.io","scope":"Namespaced","names":{"plural":"things","kind":"Thing"},
               "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}}}}}}]}}
            """);
        var response = await Api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", bad);
        Assert.Equal(422, response.Code);
        Assert.Contains(response.Object["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>().StartsWith("spec.versions[0].schema.openAPIV3Schema", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_InvalidPort_Returns422WithFieldCause()
    {
        var response = await Api.PostAsync(Objects.Widgets, Objects.Widget("cr-invalid", port: 70000));
        Assert.Equal(422, response.Code);
        var cause = response.Object["details"]!["causes"]![0]!;
        Assert.Equal("spec.port", cause["field"]!.GetValue<string>());
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.StartsWith("Widget.example.tunneloperator.io \"cr-invalid\" is invalid: spec.port: Invalid value: 70000", response.Message, StringComparison.Ordinal);
        Assert.Equal("Widget", response.Object["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("example.tunneloperator.io", response.Object["details"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_MissingRequiredAndBadEnum_ReportsEachCause()
    {
        var body = Objects.Parse("""{"apiVersion":"example.tunneloperator.io/v1","kind":"Widget","metadata":{"name":"cr-required"},"spec":{"mode":"udp"}}""");
        var response = await Api.PostAsync(Objects.Widgets, body);
        Assert.Equal(422, response.Code);
        var causes = response.Object["details"]!["causes"]!.AsArray().Select(c => (c!["reason"]!.GetValue<string>(), c["field"]!.GetValue<string>())).ToList();
        Assert.Contains(("FieldValueRequired", "spec.port"), causes);
        Assert.Contains(("FieldValueNotSupported", "spec.mode"), causes);
    }

    [Fact]
    public async Task Create_AppliesSchemaDefaults()
    {
        var created = await Api.PostAsync(Objects.Widgets, Objects.Widget("cr-default"));
        Assert.Equal(201, created.Code);
        Assert.Equal("example.com", created.Object["spec"]!["host"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_UnknownField_StrictRefusesWarnWarnsIgnorePrunes()
    {
        var strict = await Api.PostAsync($"{Objects.Widgets}?fieldValidation=Strict", Objects.Widget("cr-strict", extraSpec: ",\"foo\":1"));
        Assert.Equal(400, strict.Code);
        Assert.Equal("strict decoding error: unknown field \"spec.foo\"", strict.Message);

        var warn = await Api.PostAsync($"{Objects.Widgets}?fieldValidation=Warn", Objects.Widget("cr-warn", extraSpec: ",\"foo\":1"));
        Assert.Equal(201, warn.Code);
        Assert.Contains("299 - \"unknown field \\\"spec.foo\\\"\"", warn.Warnings);
        Assert.Null(warn.Object["spec"]!["foo"]);

        var ignore = await Api.PostAsync($"{Objects.Widgets}?fieldValidation=Ignore", Objects.Widget("cr-ignore", extraSpec: ",\"foo\":1"));
        Assert.Equal(201, ignore.Code);
        Assert.Empty(ignore.Warnings);
        Assert.Null(ignore.Object["spec"]!["foo"]);
    }

    [Fact]
    public async Task StrategicMergePatch_OnCustomResource_Returns415()
    {
        await Api.PostAsync(Objects.Widgets, Objects.Widget("cr-smp"));
        var response = await Api.PatchAsync($"{Objects.Widgets}/cr-smp", """{"spec":{"port":81}}""", "application/strategic-merge-patch+json");
        Assert.Equal(415, response.Code);
        Assert.Equal("UnsupportedMediaType", response.Reason);
    }

    [Fact]
    public async Task Generation_StartsAtOneAndMovesOnlyWithSpec()
    {
        var created = await Api.PostAsync(Objects.Widgets, Objects.Widget("cr-gen"));
        Assert.Equal(1, created.Object["metadata"]!["generation"]!.GetValue<long>());

        var labelled = await Api.PatchAsync($"{Objects.Widgets}/cr-gen", """{"metadata":{"labels":{"a":"b"}}}""");
        Assert.Equal(1, labelled.Object["metadata"]!["generation"]!.GetValue<long>());

        var status = await Api.PatchAsync($"{Objects.Widgets}/cr-gen/status", """{"status":{"replicas":2}}""");
        Assert.Equal(1, status.Object["metadata"]!["generation"]!.GetValue<long>());

        var spec = await Api.PatchAsync($"{Objects.Widgets}/cr-gen", """{"spec":{"port":81}}""");
        Assert.Equal(2, spec.Object["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task StatusSubresource_OnlyStatusChangesThere_AndMainWritesIgnoreStatus()
    {
        var created = await Api.PostAsync(Objects.Widgets, Objects.Parse("""{"apiVersion":"example.tunneloperator.io/v1","kind":"Widget","metadata":{"name":"cr-status"},"spec":{"port":80},"status":{"replicas":9}}"""));
        Assert.Null(created.Object["status"]);

        var viaStatus = created.Object.DeepClone().AsObject();
        viaStatus["status"] = Objects.Parse("""{"replicas":1}""");
        viaStatus["spec"]!["port"] = 99;
        var statusWrite = await Api.PutAsync($"{Objects.Widgets}/cr-status/status", viaStatus);
        Assert.Equal(200, statusWrite.Code);
        Assert.Equal(1, statusWrite.Object["status"]!["replicas"]!.GetValue<long>());
        Assert.Equal(80, statusWrite.Object["spec"]!["port"]!.GetValue<long>());

        var viaMain = statusWrite.Object.DeepClone().AsObject();
        viaMain["status"]!["replicas"] = 5;
        var mainWrite = await Api.PutAsync($"{Objects.Widgets}/cr-status", viaMain);
        Assert.Equal(200, mainWrite.Code);
        Assert.Equal(1, mainWrite.Object["status"]!["replicas"]!.GetValue<long>());
    }

    [Fact]
    public async Task Table_ForCustomResource_UsesPrinterColumns()
    {
        await Api.PostAsync(Objects.Widgets, Objects.Widget("cr-table", port: 8080));
        await Api.PatchAsync($"{Objects.Widgets}/cr-table/status", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        var table = await Api.GetAsync($"{Objects.Widgets}/cr-table", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal("Table", table.Object["kind"]!.GetValue<string>());
        var columns = table.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["Name", "Port", "Ready", "Age"], columns);
        var cells = table.Object["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("cr-table", cells[0]!.GetValue<string>());
        Assert.Equal(8080, cells[1]!.GetValue<long>());
        Assert.Equal("True", cells[2]!.GetValue<string>());
    }

    [Fact]
    public async Task Table_ForBuiltinList_UsesBuiltinColumns()
    {
        var table = await Api.GetAsync("/api/v1/namespaces", "application/json;as=Table;v=v1;g=meta.k8s.io");
        Assert.Equal(["Name", "Status", "Age"], table.Object["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Contains(table.Object["rows"]!.AsArray(), r => r!["cells"]![0]!.GetValue<string>() == "default");
    }

    [Fact]
    public async Task CrdDeletion_RemovesItsObjectsAndStopsServing()
    {
        var crd = Objects.WidgetCrd();
        crd["metadata"]!["name"] = "gizmos.example.tunneloperator.io";
        crd["spec"]!["names"] = Objects.Parse("""{"plural":"gizmos","singular":"gizmo","kind":"Gizmo"}""");
        Assert.Equal(201, (await Api.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Code);
        var gizmo = Objects.Widget("g1");
        gizmo["kind"] = "Gizmo";
        Assert.Equal(201, (await Api.PostAsync("/apis/example.tunneloperator.io/v1/namespaces/default/gizmos", gizmo)).Code);

        using var watch = await Api.WatchAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions?watch=true&fieldSelector=metadata.name%3Dgizmos.example.tunneloperator.io");
        await Api.DeleteAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.tunneloperator.io");
        await watch.NextMatchingAsync((type, _) => type == "DELETED");
        Assert.Equal(404, (await Api.GetAsync("/apis/example.tunneloperator.io/v1/namespaces/default/gizmos/g1")).Code);
    }
}
