using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Apply;
using TunnelOperator.ControlPlane.Patching;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Apply;

public sealed class ServerSideApplyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    private static readonly ITypeShape Tunnel = TypeShapes.For(StructuralSchema.Parse(Json.Parse("""
        {'type':'object','properties':{
          'spec':{'type':'object','properties':{
            'replicas':{'type':'integer'},'host':{'type':'string'},'mode':{'type':'string'},
            'args':{'type':'array','items':{'type':'string'}},
            'tags':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}},
            'routes':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],
                      'items':{'type':'object','required':['name'],'properties':{'name':{'type':'string'},'port':{'type':'integer'},'path':{'type':'string'}}}},
            'selector':{'type':'object','additionalProperties':{'type':'string'}},
            'tls':{'type':'object','x-kubernetes-map-type':'atomic','properties':{'secret':{'type':'string'},'issuer':{'type':'string'}}}}},
          'status':{'type':'object','properties':{'phase':{'type':'string'}}}}}
        """)!));

    private static JsonObject Config(string spec, string name = "t") =>
        Json.Obj("{'apiVersion':'tunneloperator.io/v1alpha1','kind':'Tunnel','metadata':{'name':'" + name + "','namespace':'default'},'spec':" + spec + "}");

    private static JsonObject Applied(JsonObject? live, JsonObject config, string manager, DateTimeOffset? now = null, bool force = false)
    {
        var result = ServerSideApply.Apply(live, config, manager, force, Tunnel, now ?? T0);
        Assert.Empty(result.Conflicts);
        return result.Object!;
    }

    private static JsonObject Stored(JsonObject obj)
    {
        // What the server adds on create.
        var copy = (JsonObject)obj.DeepClone();
        copy["metadata"]!["uid"] = "u-1";
        copy["metadata"]!["resourceVersion"] = "1";
        return copy;
    }

    private static JsonObject? Entry(JsonObject obj, string manager, string operation = "Apply") =>
        obj["metadata"]!["managedFields"]?.AsArray().OfType<JsonObject>()
            .SingleOrDefault(e => e["manager"]!.GetValue<string>() == manager && e["operation"]!.GetValue<string>() == operation);

    private static readonly System.Text.Json.JsonSerializerOptions GoEscaping = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Fields(JsonObject obj, string manager, string operation = "Apply") =>
        Entry(obj, manager, operation)?["fieldsV1"]?.ToJsonString(GoEscaping) ?? "null";

    [Fact]
    public void Create_OwnsTheAppliedFieldsButNotTheSystemOnes()
    {
        var obj = Applied(null, Config("{'replicas':2,'host':'a.example'}"), "op");

        Json.Equal("{'apiVersion':'tunneloperator.io/v1alpha1','kind':'Tunnel','metadata':{'name':'t','namespace':'default','managedFields':[{'manager':'op','operation':'Apply','apiVersion':'tunneloperator.io/v1alpha1','time':'2026-11-24T10:00:00Z','fieldsType':'FieldsV1','fieldsV1':{'f:spec':{'f:host':{},'f:replicas':{}}}}]},'spec':{'replicas':2,'host':'a.example'}}", obj);
    }

    [Fact]
    public void TwoManagers_OwnWhatEachApplied()
    {
        var live = Stored(Applied(null, Config("{'replicas':2}"), "a"));

        var obj = Applied(live, Config("{'host':'b.example'}"), "b", T1);

        Json.Equal("{'replicas':2,'host':'b.example'}", obj["spec"]);
        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(obj, "a"));
        Assert.Equal("{\"f:spec\":{\"f:host\":{}}}", Fields(obj, "b"));
        Assert.Equal("2026-11-24T10:00:00Z", Entry(obj, "a")!["time"]!.GetValue<string>());
        Assert.Equal("2026-11-24T10:05:00Z", Entry(obj, "b")!["time"]!.GetValue<string>());
    }

    [Fact]
    public void ChangingAFieldAnotherManagerOwns_IsAConflict()
    {
        var live = Stored(Applied(null, Config("{'replicas':2}"), "a"));

        var result = ServerSideApply.Apply(live, Config("{'replicas':3}"), "b", false, Tunnel, T1);

        Assert.Null(result.Object);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal(("a", ".spec.replicas", "Apply"), (conflict.Manager, conflict.Field, conflict.Operation));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas", ServerSideApply.ConflictMessage(result.Conflicts));
    }

    [Fact]
    public void Force_TakesOwnershipFromTheOtherManager()
    {
        var live = Stored(Applied(null, Config("{'replicas':2,'host':'a'}"), "a"));

        var obj = Applied(live, Config("{'replicas':3}"), "b", T1, force: true);

        Assert.Equal(3, obj["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("{\"f:spec\":{\"f:host\":{}}}", Fields(obj, "a"));
        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(obj, "b"));
    }

    [Fact]
    public void ApplyingTheSameValue_SharesOwnershipWithoutConflict()
    {
        var live = Stored(Applied(null, Config("{'replicas':2}"), "a"));

        var obj = Applied(live, Config("{'replicas':2}"), "b", T1);

        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(obj, "a"));
        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(obj, "b"));
    }

    [Fact]
    public void AFieldTheApplierOmitsNow_IsRemoved()
    {
        var live = Stored(Applied(null, Config("{'replicas':2,'host':'a','selector':{'app':'x','tier':'y'}}"), "a"));

        var obj = Applied(live, Config("{'replicas':2,'selector':{'app':'x'}}"), "a", T1);

        Json.Equal("{'replicas':2,'selector':{'app':'x'}}", obj["spec"]);
        Assert.Equal("{\"f:spec\":{\"f:replicas\":{},\"f:selector\":{\"f:app\":{}}}}", Fields(obj, "a"));
    }

    [Fact]
    public void AnOmittedFieldAnotherManagerAlsoOwns_Stays()
    {
        var live = Stored(Applied(null, Config("{'replicas':2,'host':'a'}"), "a"));
        live = Stored(Applied(live, Config("{'host':'a'}"), "b", T1));

        var obj = Applied(live, Config("{'replicas':2}"), "a", T1);

        Assert.Equal("a", obj["spec"]!["host"]!.GetValue<string>());
        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(obj, "a"));
        Assert.Equal("{\"f:spec\":{\"f:host\":{}}}", Fields(obj, "b"));
    }

    [Fact]
    public void OmittingEverythingInAStruct_RemovesTheStructWhenNobodyElseOwnsAnythingInIt()
    {
        var live = Stored(Applied(null, Config("{'host':'a'}"), "a"));

        var obj = Applied(live, Json.Obj("{'apiVersion':'tunneloperator.io/v1alpha1','kind':'Tunnel','metadata':{'name':'t','namespace':'default','labels':{'x':'y'}}}"), "a", T1);

        Assert.Null(obj["spec"]);
        Assert.Equal("{\"f:metadata\":{\"f:labels\":{\"f:x\":{}}}}", Fields(obj, "a"));
    }

    [Fact]
    public void AnUpdate_StealsTheFieldsItChanges()
    {
        var live = Stored(Applied(null, Config("{'replicas':2,'host':'a'}"), "a"));
        var edited = (JsonObject)live.DeepClone();
        edited["spec"]!["replicas"] = 5;

        ServerSideApply.RecordUpdate(live, edited, "kubectl-edit", Tunnel, T1);

        Assert.Equal("{\"f:spec\":{\"f:host\":{}}}", Fields(edited, "a"));
        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(edited, "kubectl-edit", "Update"));
        Assert.Equal("tunneloperator.io/v1alpha1", Entry(edited, "kubectl-edit", "Update")!["apiVersion"]!.GetValue<string>());

        var result = ServerSideApply.Apply(edited, Config("{'replicas':2,'host':'a'}"), "a", false, Tunnel, T1);
        var conflict = Assert.Single(result.Conflicts);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using tunneloperator.io/v1alpha1 at 2026-11-24T10:05:00Z: .spec.replicas", ServerSideApply.ConflictMessage(result.Conflicts));
        Assert.Equal("kubectl-edit", conflict.Manager);
    }

    [Fact]
    public void AnApplyThatChangesNothing_LeavesTheObjectByteIdentical()
    {
        var live = Stored(Applied(null, Config("{'replicas':2,'routes':[{'name':'r','port':80}]}"), "a"));

        var result = ServerSideApply.Apply(live, Config("{'replicas':2,'routes':[{'name':'r','port':80}]}"), "a", false, Tunnel, T1);

        Assert.False(result.Changed);
        Assert.Equal(live.ToJsonString(), result.Object!.ToJsonString());
    }

    [Fact]
    public void ANewManagerApplyingEqualValues_ChangesOnlyManagedFieldsAndGetsNoTime()
    {
        var live = Stored(Applied(null, Config("{'replicas':2}"), "a"));

        var result = ServerSideApply.Apply(live, Config("{'replicas':2}"), "b", false, Tunnel, T1);

        Assert.True(result.Changed);
        Json.Equal(Json.Text(live["spec"]), result.Object!["spec"]);
        Assert.Null(Entry(result.Object!, "b")!["time"]);
    }

    [Fact]
    public void ListMapItems_AreOwnedByKeyAndMergedBetweenManagers()
    {
        var live = Stored(Applied(null, Config("{'routes':[{'name':'web','port':80}]}"), "a"));

        var obj = Applied(live, Config("{'routes':[{'name':'api','port':8080}]}"), "b", T1);

        Json.Equal("[{'name':'web','port':80},{'name':'api','port':8080}]", obj["spec"]!["routes"]);
        Assert.Equal("{\"f:spec\":{\"f:routes\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\".\":{},\"f:name\":{},\"f:port\":{}}}}}", Fields(obj, "a"));
    }

    [Fact]
    public void AtomicListsAndMaps_AreOwnedWholeAndReplaced()
    {
        var live = Stored(Applied(null, Config("{'args':['-a','-b'],'tls':{'secret':'s','issuer':'i'}}"), "a"));

        var result = ServerSideApply.Apply(live, Config("{'args':['-c'],'tls':{'secret':'t'}}"), "b", true, Tunnel, T1);

        Json.Equal("{'args':['-c'],'tls':{'secret':'t'}}", result.Object!["spec"]);
        Assert.Equal("{\"f:spec\":{\"f:args\":{},\"f:tls\":{}}}", Fields(result.Object!, "b"));
        Assert.Null(Entry(result.Object!, "a"));
    }

    [Fact]
    public void SetItems_AreOwnedByValue()
    {
        var live = Stored(Applied(null, Config("{'tags':['x','y']}"), "a"));

        var obj = Applied(live, Config("{'tags':['z']}"), "b", T1);

        Json.Equal("['x','y','z']", obj["spec"]!["tags"]);
        Assert.Equal("{\"f:spec\":{\"f:tags\":{\"v:\\\"z\\\"\":{}}}}", Fields(obj, "b"));
    }

    [Fact]
    public void ResetFields_AreNeitherOwnedNorConflicting()
    {
        var status = FieldSet.FromFieldsV1(Json.Parse("{'f:status':{}}"));
        var config = Config("{'replicas':1}");
        config["status"] = new JsonObject { ["phase"] = "Ready" };

        var result = ServerSideApply.Apply(null, config, "a", false, Tunnel, T0, resetFields: status);

        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(result.Object!, "a"));
    }

    [Fact]
    public void AnUntrackedObject_GetsABeforeFirstApplyManagerOnFirstApply()
    {
        var live = Stored(Config("{'replicas':2,'host':'a'}"));

        var obj = Applied(live, Config("{'host':'b'}"), "a", T1, force: true);

        // A custom resource is unstructured: spec itself was added, so the Update entry owns it too.
        Assert.Equal("{\"f:spec\":{\".\":{},\"f:replicas\":{}}}", Fields(obj, "before-first-apply", "Update"));
        Assert.Equal("{\"f:spec\":{\"f:host\":{}}}", Fields(obj, "a"));
    }

    [Fact]
    public void RecordUpdate_OnCreate_OwnsEverythingIncludingNewStructs()
    {
        var created = Config("{'replicas':1,'selector':{'app':'x'}}");

        ServerSideApply.RecordUpdate(null, created, "kubectl-create", Tunnel, T0);

        Assert.Equal("{\"f:spec\":{\".\":{},\"f:replicas\":{},\"f:selector\":{\".\":{},\"f:app\":{}}}}", Fields(created, "kubectl-create", "Update"));
    }

    [Fact]
    public void RecordUpdate_LeavesAnUntrackedExistingObjectUntracked()
    {
        var live = Stored(Config("{'replicas':1}"));
        var updated = (JsonObject)live.DeepClone();
        updated["spec"]!["replicas"] = 2;

        ServerSideApply.RecordUpdate(live, updated, "kubectl", Tunnel, T1);

        Assert.Null(updated["metadata"]!["managedFields"]);
    }

    [Fact]
    public void RecordUpdate_ClearsManagedFieldsWhenTheClientSendsAnEmptyEntry()
    {
        var live = Stored(Applied(null, Config("{'replicas':1}"), "a"));
        var updated = (JsonObject)live.DeepClone();
        updated["metadata"]!["managedFields"] = Json.Arr("[{}]");

        ServerSideApply.RecordUpdate(live, updated, "kubectl", Tunnel, T1);

        Assert.Null(updated["metadata"]!["managedFields"]);
    }

    [Fact]
    public void RecordUpdate_RemovedFieldsLeaveEveryManager()
    {
        var live = Stored(Applied(null, Config("{'replicas':1,'host':'h'}"), "a"));
        var updated = (JsonObject)live.DeepClone();
        updated["spec"]!.AsObject().Remove("host");

        ServerSideApply.RecordUpdate(live, updated, "kubectl", Tunnel, T1);

        Assert.Equal("{\"f:spec\":{\"f:replicas\":{}}}", Fields(updated, "a"));
        Assert.Null(Entry(updated, "kubectl", "Update"));
    }

    [Fact]
    public void UpdatesOfTheStatusSubresource_AreRecordedApart()
    {
        var live = Stored(Applied(null, Config("{'replicas':1}"), "a"));
        var updated = (JsonObject)live.DeepClone();
        updated["status"] = new JsonObject { ["phase"] = "Ready" };

        ServerSideApply.RecordUpdate(live, updated, "operator", Tunnel, T1, subresource: "status");

        var entry = Entry(updated, "operator", "Update")!;
        Assert.Equal("status", entry["subresource"]!.GetValue<string>());
        Assert.Equal("{\"f:status\":{\".\":{},\"f:phase\":{}}}", Json.Text(entry["fieldsV1"]));
    }

    [Fact]
    public void ManyUpdaters_AreCappedIntoAncientChanges()
    {
        var obj = Stored(Config("{}"));
        obj["metadata"]!["managedFields"] = Json.Arr("[{'manager':'seed','operation':'Apply','apiVersion':'tunneloperator.io/v1alpha1','fieldsType':'FieldsV1','fieldsV1':{'f:metadata':{'f:labels':{'f:seed':{}}}}}]");
        for (var i = 0; i < 12; i++)
        {
            var next = (JsonObject)obj.DeepClone();
            next["spec"]!["host"] = "h" + i;
            ServerSideApply.RecordUpdate(obj, next, "writer-" + i, Tunnel, T0.AddMinutes(i));
            var labelled = (JsonObject)next.DeepClone();
            if (labelled["metadata"]!["labels"] is not JsonObject labels)
            {
                labels = [];
                labelled["metadata"]!["labels"] = labels;
            }

            labels["w" + i] = "1";
            ServerSideApply.RecordUpdate(next, labelled, "writer-" + i, Tunnel, T0.AddMinutes(i));
            obj = labelled;
        }

        var updaters = obj["metadata"]!["managedFields"]!.AsArray().Count(e => e!["operation"]!.GetValue<string>() == "Update");
        Assert.True(updaters <= 10, $"{updaters} update entries");
        Assert.NotNull(Entry(obj, "ancient-changes", "Update"));
    }

    [Fact]
    public void BuiltinContainers_AreKeyedByNameAndPortsByPortAndDefaultedProtocol()
    {
        var shape = TypeShapes.For(BuiltinPatchMeta.For("apps/v1", "Deployment"));
        var config = Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','labels':{'app':'web'}},'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx','ports':[{'containerPort':80}]}]}}}}");

        var result = ServerSideApply.Apply(null, config, "kubectl", false, shape, T0);

        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""",
            FieldSet.FromFieldsV1(Entry(result.Object!, "kubectl")!["fieldsV1"]).ToFieldsV1Text());
    }

    [Fact]
    public void MalformedConfigurations_AreRefused()
    {
        Assert.Throws<PatchException>(() => ServerSideApply.Apply(null, Config("{'routes':[{'port':1}]}"), "a", false, Tunnel, T0));
        Assert.Throws<PatchException>(() => ServerSideApply.Apply(null, Config("{'routes':[{'name':'x'},{'name':'x'}]}"), "a", false, Tunnel, T0));
        var withManagedFields = Config("{}");
        withManagedFields["metadata"]!["managedFields"] = new JsonArray();
        Assert.Throws<PatchException>(() => ServerSideApply.Apply(null, withManagedFields, "a", false, Tunnel, T0));
    }
}
