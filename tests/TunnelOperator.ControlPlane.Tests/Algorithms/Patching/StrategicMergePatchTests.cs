using TunnelOperator.ControlPlane.Patching;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Patching;

public sealed class StrategicMergePatchTests
{
    private static readonly IPatchMeta DeploymentMeta = BuiltinPatchMeta.For("apps/v1", "Deployment");

    private const string Deployment = """
        {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web'},'finalizers':['a','b']},
         'spec':{'replicas':1,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}},'template':{'spec':{
           'containers':[
             {'name':'web','image':'nginx:1','args':['-a'],'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],'ports':[{'containerPort':80,'protocol':'TCP'}]},
             {'name':'sidecar','image':'busybox'}],
           'volumes':[{'name':'data','emptyDir':{}}],
           'tolerations':[{'key':'k'}]}}}}
        """;

    private static string Containers(string patch) =>
        Json.Text(StrategicMergePatch.Apply(Json.Parse(Deployment), Json.Parse(patch), DeploymentMeta)!["spec"]!["template"]!["spec"]!["containers"]);

    private static JsonNodeView Patched(string patch) => new(StrategicMergePatch.Apply(Json.Parse(Deployment), Json.Parse(patch), DeploymentMeta));

    [Fact]
    public void Containers_MergeByName_KeepingTheOthers()
    {
        var result = Patched("{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:2'}]}}}}");

        Json.Equal("[{'name':'web','image':'nginx:2','args':['-a'],'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],'ports':[{'containerPort':80,'protocol':'TCP'}]},{'name':'sidecar','image':'busybox'}]", result.At("spec", "template", "spec", "containers"));
    }

    [Fact]
    public void ANewContainer_ComesFirst_AsUpstreamMergeSortedSliceOrdersIt()
    {
        // mergeSortedSlice takes a patch item the live list does not know before the server-only items.
        var result = Patched("{'spec':{'template':{'spec':{'containers':[{'name':'log','image':'fluent'}]}}}}");

        Assert.Equal(["log", "web", "sidecar"], result.Names("spec", "template", "spec", "containers"));
    }

    [Fact]
    public void Env_MergesByNameInsideAMergedContainer()
    {
        var result = Patched("{'spec':{'template':{'spec':{'containers':[{'name':'web','env':[{'name':'B','value':'3'},{'name':'C','value':'4'}]}]}}}}");

        Json.Equal("[{'name':'A','value':'1'},{'name':'B','value':'3'},{'name':'C','value':'4'}]", result.At("spec", "template", "spec", "containers")![0]!["env"]);
    }

    [Fact]
    public void AtomicLists_AreReplaced()
    {
        var result = Patched("{'spec':{'template':{'spec':{'containers':[{'name':'web','args':['-b']}],'tolerations':[{'key':'z'}]}}}}");

        Json.Equal("['-b']", result.At("spec", "template", "spec", "containers")![0]!["args"]);
        Json.Equal("[{'key':'z'}]", result.At("spec", "template", "spec", "tolerations"));
    }

    [Fact]
    public void PatchDelete_RemovesTheItemWithThatKey()
    {
        Assert.Equal("[{\"name\":\"sidecar\",\"image\":\"busybox\"}]", Containers("{'spec':{'template':{'spec':{'containers':[{'name':'web','$patch':'delete'}]}}}}"));
    }

    [Fact]
    public void PatchReplace_InAList_MakesThePatchTheWholeList()
    {
        Assert.Equal("[{\"name\":\"only\",\"image\":\"x\"}]", Containers("{'spec':{'template':{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}}}"));
    }

    [Fact]
    public void PatchReplace_InAMap_ReplacesTheMap()
    {
        var result = Patched("{'metadata':{'labels':{'$patch':'replace','tier':'front'}}}");

        Json.Equal("{'tier':'front'}", result.At("metadata", "labels"));
    }

    [Fact]
    public void PatchDelete_InAMap_EmptiesIt()
    {
        var result = Patched("{'metadata':{'labels':{'$patch':'delete'}}}");

        Json.Equal("{}", result.At("metadata", "labels"));
    }

    [Fact]
    public void PatchMerge_InAList_IsRefused()
    {
        Assert.Throws<PatchException>(() => Patched("{'spec':{'template':{'spec':{'containers':[{'$patch':'merge'}]}}}}"));
    }

    [Fact]
    public void AnUnknownDirective_IsRefused()
    {
        var e = Assert.Throws<PatchException>(() => Patched("{'metadata':{'labels':{'$patch':'frobnicate'}}}"));

        Assert.StartsWith("unknown patch type: \"frobnicate\" in map:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMergeListItemWithoutTheMergeKey_IsRefused()
    {
        var e = Assert.Throws<PatchException>(() => Patched("{'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}"));

        Assert.Contains("does not contain declared merge key: name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_DeletesAField()
    {
        var result = Patched("{'spec':{'replicas':null},'metadata':{'labels':{'app':null}}}");

        Assert.Null(result.At("spec", "replicas"));
        Json.Equal("{}", result.At("metadata", "labels"));
    }

    [Fact]
    public void Finalizers_MergeAsASetAndDeleteFromPrimitiveListRemoves()
    {
        Json.Equal("['a','b','c']", Patched("{'metadata':{'finalizers':['b','c']}}").At("metadata", "finalizers"));
        Json.Equal("['b']", Patched("{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}").At("metadata", "finalizers"));
    }

    [Fact]
    public void SetElementOrder_OrdersTheMergedList()
    {
        var result = Patched("{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'web'}],'containers':[{'name':'web','image':'nginx:3'}]}}}}");

        Assert.Equal(["sidecar", "web"], result.Names("spec", "template", "spec", "containers"));
        Assert.Equal("nginx:3", result.At("spec", "template", "spec", "containers")![1]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void SetElementOrderAndDeleteFromPrimitiveList_WorkTogetherOnScalars()
    {
        var live = Json.Parse("{'metadata':{'finalizers':['a','b','c']}}");

        var result = StrategicMergePatch.Apply(live, Json.Parse("{'metadata':{'$setElementOrder/finalizers':['b','a'],'$deleteFromPrimitiveList/finalizers':['c']}}"), DeploymentMeta);

        Json.Equal("['b','a']", result!["metadata"]!["finalizers"]);
    }

    [Fact]
    public void RetainKeys_InsideAMergedListItem_SwitchesAVolumeSource()
    {
        var result = Patched("{'spec':{'template':{'spec':{'volumes':[{'name':'data','$retainKeys':['name','configMap'],'configMap':{'name':'cfg'}}]}}}}");

        Json.Equal("[{'name':'data','configMap':{'name':'cfg'}}]", result.At("spec", "template", "spec", "volumes"));
    }

    [Fact]
    public void RetainKeys_ClearsFieldsNotListed()
    {
        var result = Patched("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");

        Json.Equal("{'type':'Recreate'}", result.At("spec", "strategy"));
    }

    [Fact]
    public void RetainKeys_RefusesAPatchThatSetsAnUnlistedField()
    {
        Assert.Throws<PatchException>(() => Patched("{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}"));
    }

    [Fact]
    public void ServicePorts_MergeByPort()
    {
        var service = Json.Parse("{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https'}],'selector':{'app':'a'}}}");

        var result = StrategicMergePatch.Apply(service, Json.Parse("{'spec':{'ports':[{'port':443,'targetPort':8443}]}}"), BuiltinPatchMeta.For("v1", "Service"));

        Json.Equal("[{'port':80,'name':'http'},{'port':443,'name':'https','targetPort':8443}]", result!["spec"]!["ports"]);
    }

    [Fact]
    public void PatchItemsComeInPatchOrder_ServerOnlyItemsKeepTheirPlaces()
    {
        // normalizeElementOrder: live [a,b,c], patch [c,a] → b (server only, before c in the live list) first.
        var live = Json.Parse("{'metadata':{'ownerReferences':[{'uid':'a'},{'uid':'b'},{'uid':'c'}]}}");

        var result = StrategicMergePatch.Apply(live, Json.Parse("{'metadata':{'ownerReferences':[{'uid':'c'},{'uid':'a'}]}}"), DeploymentMeta);

        Json.Equal("[{'uid':'b'},{'uid':'c'},{'uid':'a'}]", result!["metadata"]!["ownerReferences"]);
    }

    private sealed class JsonNodeView(System.Text.Json.Nodes.JsonNode? root)
    {
        public System.Text.Json.Nodes.JsonNode? At(params string[] path) => path.Aggregate(root, (n, p) => n?[p]);

        public IReadOnlyList<string> Names(params string[] path) =>
            At(path)!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
    }
}
