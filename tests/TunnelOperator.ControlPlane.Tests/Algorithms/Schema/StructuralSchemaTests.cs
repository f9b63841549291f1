using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Schema;

public sealed class StructuralSchemaTests
{
    private const string Root = "spec.versions[0].schema.openAPIV3Schema";

    private static IReadOnlyList<string> Check(string schema) =>
        StructuralSchema.CheckStructural(Json.Parse(schema)!, Root).Select(e => e.ToString()).ToList();

    [Fact]
    public void Parse_ReadsTheStructuralPartAndTheExtensions()
    {
        var schema = StructuralSchema.Parse(Json.Parse("""
            {'type':'object','properties':{'spec':{'type':'object','properties':{
              'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],
                       'items':{'type':'object','required':['name'],'properties':{'name':{'type':'string'}}}},
              'labels':{'type':'object','additionalProperties':{'type':'string'},'x-kubernetes-map-type':'atomic'},
              'raw':{'type':'object','x-kubernetes-preserve-unknown-fields':true},
              'size':{'x-kubernetes-int-or-string':true,'default':'1Gi'}}}}}
            """)!);

        var spec = schema.Properties["spec"];
        Assert.Equal("map", spec.Properties["ports"].XListType);
        Assert.Equal(["name"], spec.Properties["ports"].XListMapKeys);
        Assert.Equal(["name"], spec.Properties["ports"].Items!.Required);
        Assert.Equal("string", spec.Properties["labels"].AdditionalProperties!.Type);
        Assert.Equal("atomic", spec.Properties["labels"].XMapType);
        Assert.True(spec.Properties["raw"].XPreserveUnknownFields);
        Assert.True(spec.Properties["size"].XIntOrString);
        Assert.Equal("\"1Gi\"", spec.Properties["size"].Default!.ToJsonString());
    }

    [Theory]
    [InlineData("{'type':1}")]
    [InlineData("{'properties':[]}")]
    [InlineData("{'required':'name'}")]
    [InlineData("{'minimum':'1'}")]
    public void Parse_RefusesMalformedKeywords(string schema)
    {
        Assert.Throws<SchemaException>(() => StructuralSchema.Parse(Json.Parse(schema)!));
    }

    [Fact]
    public void AWellFormedSchema_IsStructural()
    {
        Assert.Empty(Check("""
            {'type':'object','properties':{
              'metadata':{'type':'object','properties':{'name':{'type':'string','maxLength':20}}},
              'spec':{'type':'object','properties':{
                'port':{'x-kubernetes-int-or-string':true,'anyOf':[{'type':'integer'},{'type':'string'}]},
                'raw':{'x-kubernetes-preserve-unknown-fields':true},
                'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name','protocol'],
                  'items':{'type':'object','required':['name'],'properties':{'name':{'type':'string'},'protocol':{'type':'string','default':'TCP'}}}},
                'mode':{'type':'string','default':'http','enum':['http','tls']}}}}}
            """));
    }

    [Theory]
    [InlineData("{'type':'object','properties':{'spec':{'properties':{}}}}", Root + ".properties[spec].type: Required value: must not be empty for specified object fields")]
    [InlineData("{'type':'object','properties':{'a':{'type':'array'}}}", Root + ".properties[a].items: Required value: must be specified")]
    [InlineData("{'type':'object','properties':{'a':{'type':'array','items':{}}}}", Root + ".properties[a].items.type: Required value: must not be empty for specified array items")]
    [InlineData("{'properties':{}}", Root + ".type: Required value: must not be empty at the root")]
    [InlineData("{'type':'string'}", Root + ".type: Invalid value: \"string\": must be object at the root")]
    [InlineData("{'type':'object','additionalProperties':{'type':'string'}}", Root + ".additionalProperties: Forbidden: must not be used at the root")]
    [InlineData("{'type':'object','properties':{'metadata':{'type':'object','properties':{'labels':{'type':'object'}}}}}", Root + ".properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified")]
    [InlineData("{'type':'object','properties':{'a':{'type':'object','anyOf':[{'type':'object'}]}}}", Root + ".properties[a].anyOf[0].type: Forbidden: must be empty to be structural")]
    [InlineData("{'type':'object','properties':{'a':{'type':'object','allOf':[{'properties':{'metadata':{}}}]}}}", Root + ".properties[a].allOf[0].properties[metadata]: Forbidden: must not be specified in a nested context")]
    [InlineData("{'type':'object','properties':{'a':{'type':'object','x-kubernetes-embedded-resource':true}}}", Root + ".properties[a].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields")]
    [InlineData("{'type':'object','properties':{'a':{'x-kubernetes-int-or-string':true,'x-kubernetes-preserve-unknown-fields':true}}}", Root + ".properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true")]
    [InlineData("{'type':'object','properties':{'a':{'type':'string','pattern':'(?=x)'}}}", Root + ".properties[a].pattern: Invalid value: \"(?=x)\": must be a valid regular expression, but isn't")]
    [InlineData("{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'map','items':{'type':'object','properties':{'k':{'type':'string'}}}}}}", Root + ".properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map")]
    [InlineData("{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['k'],'items':{'type':'object','properties':{'k':{'type':'string'}}}}}}", Root + ".properties[a].items.properties[k]: Required value: all properties specified in x-kubernetes-list-map-keys need to be either be required or have a default value")]
    [InlineData("{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['k'],'items':{'type':'object','required':['k'],'properties':{'k':{'type':'object'}}}}}}", Root + ".properties[a].items.properties[k].type: Invalid value: \"object\": must be a scalar type if listed in x-kubernetes-list-map-keys")]
    [InlineData("{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['k'],'items':{'type':'object','properties':{'j':{'type':'string'}}}}}}", Root + ".properties[a].items.properties[k]: Required value: entries specified in x-kubernetes-list-map-keys must be properties of items")]
    [InlineData("{'type':'object','properties':{'a':{'type':'string','x-kubernetes-list-type':'set'}}}", Root + ".properties[a].type: Invalid value: \"string\": must be array if x-kubernetes-list-type is specified")]
    [InlineData("{'type':'object','properties':{'a':{'type':'array','x-kubernetes-list-type':'bag','items':{'type':'string'}}}}", Root + ".properties[a].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\"")]
    [InlineData("{'type':'object','properties':{'a':{'type':'string','default':5}}}", Root + ".properties[a].default: Invalid value: \"integer\": " + Root + ".properties[a].default in body must be of type string: \"integer\"")]
    [InlineData("{'type':'object','properties':{'a':{'type':'string','enum':['x'],'default':'y'}}}", Root + ".properties[a].default: Unsupported value: \"y\": supported values: \"x\"")]
    [InlineData("{'type':'object','properties':{'a':{'type':'object','properties':{'b':{'type':'string'}},'default':{'c':1}}}}", Root + ".properties[a].default: Invalid value: {\"c\":1}: must not have unknown fields, got: .c")]
    public void ARuleViolation_IsReported(string schema, string expected)
    {
        Assert.Contains(expected, Check(schema));
    }

    [Fact]
    public void MalformedInput_IsAnErrorNotAnException()
    {
        var errors = StructuralSchema.CheckStructural(Json.Parse("{'type':'object','properties':5}")!, Root);

        Assert.Single(errors);
    }
}
