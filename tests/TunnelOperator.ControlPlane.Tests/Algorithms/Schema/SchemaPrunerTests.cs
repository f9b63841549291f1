using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Schema;

public sealed class SchemaPrunerTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Parse("""
        {'type':'object','properties':{'spec':{'type':'object','properties':{
          'ports':{'type':'array','items':{'type':'object','properties':{'port':{'type':'integer'}}}},
          'labels':{'type':'object','additionalProperties':{'type':'string'}},
          'raw':{'type':'object','x-kubernetes-preserve-unknown-fields':true,'properties':{'typed':{'type':'object','properties':{'a':{'type':'string'}}}}},
          'template':{'type':'object','x-kubernetes-embedded-resource':true,'properties':{'spec':{'type':'object'}}}
        }}}}
        """)!);

    [Fact]
    public void UnknownFields_AreDroppedAndReportedWithTheirPaths()
    {
        var obj = Json.Parse("{'apiVersion':'v1','kind':'K','metadata':{'name':'a'},'spec':{'unknownField':1,'ports':[{'port':1,'x':2}],'labels':{'a':'b'}},'status':{}}")!;

        var pruned = SchemaPruner.Prune(obj, Schema);

        Assert.Equal([".spec.ports[0].x", ".spec.unknownField", ".status"], pruned);
        Json.Equal("{'apiVersion':'v1','kind':'K','metadata':{'name':'a'},'spec':{'ports':[{'port':1}],'labels':{'a':'b'}}}", obj);
    }

    [Fact]
    public void PreserveUnknownFields_KeepsUnknownFieldsButStillPrunesDeclaredChildren()
    {
        var obj = Json.Parse("{'spec':{'raw':{'anything':{'deep':1},'typed':{'a':'x','b':'y'}}}}")!;

        var pruned = SchemaPruner.Prune(obj, Schema);

        Assert.Equal([".spec.raw.typed.b"], pruned);
        Json.Equal("{'spec':{'raw':{'anything':{'deep':1},'typed':{'a':'x'}}}}", obj);
    }

    [Fact]
    public void EmbeddedResources_KeepTypeMetaAndMetadata_ButDropUnknownMetadataFields()
    {
        var obj = Json.Parse("{'metadata':{'name':'a','bogus':1},'spec':{'template':{'apiVersion':'v1','kind':'Pod','metadata':{'labels':{'a':'b'},'nope':true},'spec':{},'other':1}}}")!;

        var pruned = SchemaPruner.Prune(obj, Schema);

        Assert.Equal([".metadata.bogus", ".spec.template.metadata.nope", ".spec.template.other"], pruned);
        Json.Equal("{'metadata':{'name':'a'},'spec':{'template':{'apiVersion':'v1','kind':'Pod','metadata':{'labels':{'a':'b'}},'spec':{}}}}", obj);
    }
}
