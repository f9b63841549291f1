using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Schema;

public sealed class SchemaValidatorTests
{
    private static readonly StructuralSchema Tunnel = StructuralSchema.Parse(Json.Parse("""
        {'type':'object','properties':{
          'spec':{'type':'object','required':['target'],'properties':{
            'target':{'type':'string','minLength':1},
            'replicas':{'type':'integer','format':'int32','minimum':1,'maximum':5},
            'ratio':{'type':'number','exclusiveMinimum':true,'minimum':0,'multipleOf':0.5},
            'mode':{'type':'string','enum':['http','tls']},
            'host':{'type':'string','pattern':'^[a-z]+(\\.[a-z]+)*$','maxLength':10},
            'port':{'x-kubernetes-int-or-string':true,'anyOf':[{'type':'integer'},{'type':'string'}]},
            'when':{'type':'string','format':'date-time'},
            'note':{'type':'string','nullable':true},
            'tags':{'type':'array','items':{'type':'string'},'maxItems':2,'minItems':1,'x-kubernetes-list-type':'set'},
            'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],
                     'items':{'type':'object','required':['name'],'properties':{'name':{'type':'string'},'port':{'type':'integer'}}}},
            'selector':{'type':'object','additionalProperties':{'type':'string','maxLength':3},'maxProperties':2}
          }}}}
        """)!);

    private static IReadOnlyList<string> Errors(string spec) =>
        SchemaValidator.Validate(Json.Parse("{'spec':" + spec + "}"), Tunnel, "").Select(e => e.ToString()).ToList();

    [Fact]
    public void AValidObject_HasNoErrors()
    {
        Assert.Empty(Errors("{'target':'svc','replicas':3,'ratio':1.5,'mode':'tls','host':'a.b','port':'http','when':'2026-01-02T03:04:05Z','note':null,'tags':['x'],'ports':[{'name':'a'},{'name':'b'}],'selector':{'app':'web'}}"));
    }

    [Theory]
    [InlineData("{'target':'s','replicas':'string'}", "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"")]
    [InlineData("{'target':'s','replicas':1.5}", "spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"")]
    [InlineData("{'target':'s','mode':'foo'}", "spec.mode: Unsupported value: \"foo\": supported values: \"http\", \"tls\"")]
    [InlineData("{}", "spec.target: Required value")]
    [InlineData("{'target':'s','replicas':0}", "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1")]
    [InlineData("{'target':'s','replicas':6}", "spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5")]
    [InlineData("{'target':'s','ratio':0}", "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0")]
    [InlineData("{'target':'s','ratio':0.7}", "spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5")]
    [InlineData("{'target':''}", "spec.target: Invalid value: \"\": spec.target in body should be at least 1 chars long")]
    [InlineData("{'target':'s','host':'A'}", "spec.host: Invalid value: \"A\": spec.host in body should match '^[a-z]+(\\.[a-z]+)*$'")]
    [InlineData("{'target':'s','host':'abcdefghijk'}", "spec.host: Too long: may not be more than 10 bytes")]
    [InlineData("{'target':'s','port':true}", "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"")]
    [InlineData("{'target':'s','when':'yesterday'}", "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"")]
    [InlineData("{'target':null}", "spec.target: Invalid value: \"null\": spec.target in body must be of type string: \"null\"")]
    [InlineData("{'target':'s','tags':['a','b','c']}", "spec.tags: Too many: 3: must have at most 2 items")]
    [InlineData("{'target':'s','tags':[]}", "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items")]
    [InlineData("{'target':'s','tags':['a','a']}", "spec.tags[1]: Duplicate value: \"a\"")]
    [InlineData("{'target':'s','ports':[{'name':'a'},{'name':'a','port':2}]}", "spec.ports[1]: Duplicate value: {\"name\":\"a\",\"port\":2}")]
    [InlineData("{'target':'s','ports':[{'port':1}]}", "spec.ports[0].name: Required value")]
    [InlineData("{'target':'s','ports':[{'name':'a','port':'x'}]}", "spec.ports[0].port: Invalid value: \"string\": spec.ports[0].port in body must be of type integer: \"string\"")]
    [InlineData("{'target':'s','selector':{'app':'long'}}", "spec.selector.app: Too long: may not be more than 3 bytes")]
    [InlineData("{'target':'s','selector':{'a':'1','b':'2','c':'3'}}", "spec.selector: Too many: 3: must have at most 2 items")]
    public void AnInvalidField_IsReportedLikeTheApiserver(string spec, string expected)
    {
        Assert.Contains(expected, Errors(spec));
    }

    [Fact]
    public void AnIntegralFloat_IsAnAcceptableInteger()
    {
        Assert.Empty(Errors("{'target':'s','replicas':2.0}"));
    }

    [Fact]
    public void AnIntegerIsAnAcceptableNumber()
    {
        Assert.Empty(Errors("{'target':'s','ratio':2}"));
    }

    [Fact]
    public void Errors_CarryTheReasonTheStatusCauseNeeds()
    {
        var error = SchemaValidator.Validate(Json.Parse("{'spec':{}}"), Tunnel, "").Single();

        Assert.Equal(FieldErrorType.Required, error.Type);
        Assert.Equal("FieldValueRequired", error.Reason);
        Assert.Equal("spec.target", error.Field);
        Assert.Equal("Required value", error.Message);
    }

    [Fact]
    public void APrefix_IsPutInFrontOfEveryField()
    {
        var errors = SchemaValidator.Validate(Json.Parse("{'spec':{}}"), Tunnel, "spec.versions[0].schema.openAPIV3Schema.default");

        Assert.Equal("spec.versions[0].schema.openAPIV3Schema.default.spec.target", errors.Single().Field);
    }

    [Theory]
    [InlineData("int32", "1")]
    [InlineData("byte", "aGVsbG8=")]
    [InlineData("hostname", "edge.example.com")]
    [InlineData("uri", "https://example.com/x")]
    [InlineData("ipv4", "10.0.0.1")]
    [InlineData("ipv6", "::1")]
    [InlineData("cidr", "10.0.0.0/8")]
    [InlineData("uuid", "123e4567-e89b-12d3-a456-426614174000")]
    [InlineData("date", "2026-11-24")]
    [InlineData("unknown-format", "anything")]
    public void SupportedFormats_AcceptValidValues(string format, string value)
    {
        var schema = StructuralSchema.Parse(Json.Parse($"{{'type':'string','format':'{format}'}}")!);

        Assert.Empty(SchemaValidator.Validate(Json.Parse($"'{value}'"), schema, "x"));
    }

    [Theory]
    [InlineData("byte", "not base64!")]
    [InlineData("hostname", "-bad-.example")]
    [InlineData("uri", "no scheme")]
    [InlineData("ipv4", "10.0.0.256")]
    [InlineData("date", "2026-13-01")]
    [InlineData("uuid", "nope")]
    public void SupportedFormats_RejectInvalidValues(string format, string value)
    {
        var schema = StructuralSchema.Parse(Json.Parse($"{{'type':'string','format':'{format}'}}")!);

        var error = Assert.Single(SchemaValidator.Validate(Json.Parse($"'{value}'"), schema, "x"));
        Assert.Equal(FieldErrorType.TypeInvalid, error.Type);
        Assert.EndsWith($"x in body must be of type {format}: \"{value}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringLengths_CountRunesNotBytes()
    {
        var schema = StructuralSchema.Parse(Json.Parse("{'type':'string','maxLength':2}")!);

        Assert.Empty(SchemaValidator.Validate(Json.Parse("'äö'"), schema, "x"));
    }

    [Fact]
    public void APatternThatWouldBacktrackForever_FailsInsteadOfHanging()
    {
        var schema = StructuralSchema.Parse(Json.Parse("{'type':'string','pattern':'^(a+)+$'}")!);

        var errors = SchemaValidator.Validate(Json.Parse("'" + new string('a', 40) + "!'"), schema, "x");

        Assert.Single(errors);
    }
}
