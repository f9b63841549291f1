using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Tables;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Tables;

public sealed class BuiltinColumnsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static (IReadOnlyList<string> Names, IReadOnlyList<int> Priorities, JsonNode? Cells) Table(string apiVersion, string kind, string obj)
    {
        var set = BuiltinColumns.For(apiVersion, kind)!;
        var table = TableBuilder.Build(set, [Json.Obj(obj)], "1", IncludeObject.None, Now);
        return (set.Columns.Select(c => c.Name.ToUpperInvariant()).ToList(), set.Columns.Select(c => c.Priority).ToList(), table["rows"]![0]!["cells"]);
    }

    private const string Meta = "'name':'x','creationTimestamp':'2026-11-24T11:00:00Z'";

    [Fact]
    public void Namespaces_ShowStatusAndAge()
    {
        var (names, _, cells) = Table("v1", "Namespace", "{'metadata':{" + Meta + "},'status':{'phase':'Active'}}");

        Assert.Equal(["NAME", "STATUS", "AGE"], names);
        Json.Equal("['x','Active','60m']", cells);
    }

    [Fact]
    public void ConfigMapsAndSecrets_CountTheirData()
    {
        var (cmNames, _, cmCells) = Table("v1", "ConfigMap", "{'metadata':{" + Meta + "},'data':{'a':'1','b':'2'},'binaryData':{'c':'AA=='}}");
        var (secretNames, _, secretCells) = Table("v1", "Secret", "{'metadata':{" + Meta + "},'type':'Opaque','data':{'a':'MQ=='}}");

        Assert.Equal(["NAME", "DATA", "AGE"], cmNames);
        Json.Equal("['x',3,'60m']", cmCells);
        Assert.Equal(["NAME", "TYPE", "DATA", "AGE"], secretNames);
        Json.Equal("['x','Opaque',1,'60m']", secretCells);
    }

    [Theory]
    [InlineData("{'type':'ClusterIP','clusterIP':'10.0.0.1','clusterIPs':['10.0.0.1'],'ports':[{'port':80,'protocol':'TCP'},{'port':53,'protocol':'UDP'}],'selector':{'tier':'b','app':'a'}}", "{}", "['x','ClusterIP','10.0.0.1','<none>','80/TCP,53/UDP','60m','app=a,tier=b']")]
    [InlineData("{'type':'NodePort','clusterIPs':['10.0.0.2'],'ports':[{'port':80,'nodePort':30080,'protocol':'TCP'}]}", "{}", "['x','NodePort','10.0.0.2','<none>','80:30080/TCP','60m','<none>']")]
    [InlineData("{'type':'LoadBalancer','clusterIPs':['10.0.0.3'],'ports':[{'port':443,'protocol':'TCP'}]}", "{}", "['x','LoadBalancer','10.0.0.3','<pending>','443/TCP','60m','<none>']")]
    [InlineData("{'type':'LoadBalancer','clusterIPs':['10.0.0.3'],'ports':[{'port':443,'protocol':'TCP'}]}", "{'loadBalancer':{'ingress':[{'ip':'1.2.3.4'}]}}", "['x','LoadBalancer','10.0.0.3','1.2.3.4','443/TCP','60m','<none>']")]
    [InlineData("{'type':'ExternalName','externalName':'db.example'}", "{}", "['x','ExternalName','<none>','db.example','<none>','60m','<none>']")]
    public void Services_PrintTypeAddressesAndPorts(string spec, string status, string expected)
    {
        var (names, priorities, cells) = Table("v1", "Service", "{'metadata':{" + Meta + "},'spec':" + spec + ",'status':" + status + "}");

        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"], names);
        Assert.Equal([0, 0, 0, 0, 0, 0, 1], priorities);
        Json.Equal(expected, cells);
    }

    [Theory]
    [InlineData("{'phase':'Running','podIP':'10.1.0.5','conditions':[{'type':'Ready','status':'True'}],'containerStatuses':[{'name':'a','ready':true,'restartCount':0,'state':{'running':{}}}]}", "['x','1/1','Running','0','60m','10.1.0.5','node-1','<none>','<none>']")]
    [InlineData("{'phase':'Pending','containerStatuses':[{'name':'a','ready':false,'restartCount':4,'state':{'waiting':{'reason':'CrashLoopBackOff'}},'lastState':{'terminated':{'exitCode':1,'finishedAt':'2026-11-24T11:58:00Z'}}}]}", "['x','0/1','CrashLoopBackOff','4 (2m ago)','60m','<none>','node-1','<none>','<none>']")]
    [InlineData("{'phase':'Failed','containerStatuses':[{'name':'a','ready':false,'restartCount':0,'state':{'terminated':{'exitCode':137,'signal':9}}}]}", "['x','0/1','Signal:9','0','60m','<none>','node-1','<none>','<none>']")]
    [InlineData("{'phase':'Pending','initContainerStatuses':[{'name':'i','ready':false,'restartCount':0,'state':{'running':{}}}]}", "['x','0/1','Init:0/1','0','60m','<none>','node-1','<none>','<none>']")]
    public void Pods_AddUpTheirContainerStatuses(string status, string expected)
    {
        var (names, priorities, cells) = Table("v1", "Pod", "{'metadata':{" + Meta + "},'spec':{'nodeName':'node-1','initContainers':[{'name':'i'}],'containers':[{'name':'a'}]},'status':" + status + "}");

        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"], names);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], priorities);
        Json.Equal(expected, cells);
    }

    [Fact]
    public void ATerminatingPod_SaysSo()
    {
        var (_, _, cells) = Table("v1", "Pod", "{'metadata':{" + Meta + ",'deletionTimestamp':'2026-11-24T11:59:00Z'},'spec':{'containers':[{'name':'a'}]},'status':{'phase':'Running'}}");

        Assert.Equal("Terminating", cells![2]!.GetValue<string>());
    }

    [Fact]
    public void Deployments_ShowReplicaCountsAndWideTemplateDetails()
    {
        var (names, priorities, cells) = Table("apps/v1", "Deployment", "{'metadata':{" + Meta + "},'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'tier','operator':'In','values':['b','a']}]},'template':{'spec':{'containers':[{'name':'web','image':'nginx'},{'name':'log','image':'fluent'}]}}},'status':{'readyReplicas':2,'updatedReplicas':3,'availableReplicas':2}}");

        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], names);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], priorities);
        Json.Equal("['x','2/3',3,2,'60m','web,log','nginx,fluent','app=web,tier in (a,b)']", cells);
    }

    [Fact]
    public void Events_NameTheirObject()
    {
        var (names, priorities, cells) = Table("v1", "Event", "{'metadata':{'name':'e1'},'type':'Warning','reason':'Failed','message':' boom ','count':2,'firstTimestamp':'2026-11-24T11:00:00Z','lastTimestamp':'2026-11-24T11:59:30Z','involvedObject':{'kind':'Pod','name':'web-1','fieldPath':'spec.containers{web}'},'source':{'component':'kubelet','host':'node-1'}}");

        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], names.Where((_, i) => priorities[i] == 0));
        Json.Equal("['30s','Warning','Failed','pod/web-1','spec.containers{web}','kubelet, node-1','boom','60m',2,'e1']", cells);
    }

    [Fact]
    public void Leases_ShowTheirHolder()
    {
        var (names, _, cells) = Table("coordination.k8s.io/v1", "Lease", "{'metadata':{" + Meta + "},'spec':{'holderIdentity':'op-1'}}");

        Assert.Equal(["NAME", "HOLDER", "AGE"], names);
        Json.Equal("['x','op-1','60m']", cells);
    }

    [Theory]
    [InlineData("RoleBinding")]
    [InlineData("ClusterRoleBinding")]
    public void Bindings_ShowTheRoleAndWideSubjectsByKind(string kind)
    {
        var (names, priorities, cells) = Table("rbac.authorization.k8s.io/v1", kind, "{'metadata':{" + Meta + "},'roleRef':{'kind':'ClusterRole','name':'view'},'subjects':[{'kind':'User','name':'a'},{'kind':'ServiceAccount','name':'sa','namespace':'ns'},{'kind':'User','name':'b'},{'kind':'Group','name':'g'}]}");

        Assert.Equal(["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"], names);
        Assert.Equal([0, 0, 0, 1, 1, 1], priorities);
        Json.Equal("['x','ClusterRole/view','60m','a, b','g','ns/sa']", cells);
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("ClusterRole")]
    public void Roles_ShowNameAndCreatedAt(string kind)
    {
        Assert.Same(BuiltinColumns.Default, BuiltinColumns.For("rbac.authorization.k8s.io/v1", kind));
    }

    [Fact]
    public void Crds_ShowNameAndCreatedAt()
    {
        var set = BuiltinColumns.For("apiextensions.k8s.io/v1", "CustomResourceDefinition")!;
        var table = TableBuilder.Build(set, [Json.Obj("{'metadata':{'name':'tunnels.tunneloperator.io','creationTimestamp':'2026-11-24T11:00:00Z'}}")], "1", IncludeObject.None, Now);

        Assert.Equal(["NAME", "CREATED AT"], set.Columns.Select(c => c.Name.ToUpperInvariant()));
        Assert.Equal("date", set.Columns[1].Type);
        Json.Equal("['tunnels.tunneloperator.io','2026-11-24T11:00:00Z']", table["rows"]![0]!["cells"]);
    }

    [Fact]
    public void UnknownKinds_HaveNoPrinter()
    {
        Assert.Null(BuiltinColumns.For("tunneloperator.io/v1alpha1", "Tunnel"));
    }
}
