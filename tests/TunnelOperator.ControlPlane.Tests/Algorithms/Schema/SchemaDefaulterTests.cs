using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Schema;

public sealed class SchemaDefaulterTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.Parse(Json.Parse("""
        {'type':'object','properties':{'spec':{'type':'object','default':{},'properties':{
          'replicas':{'type':'integer','default':1},
          'mode':{'type':'string','default':'http'},
          'note':{'type':'string','nullable':true,'default':'n'},
          'ports':{'type':'array','items':{'type':'object','properties':{'protocol':{'type':'string','default':'TCP'},'port':{'type':'integer'}}}},
          'routes':{'type':'object','additionalProperties':{'type':'object','properties':{'weight':{'type':'integer','default':100}}}}
        }}}}
        """)!);

    private static string Defaulted(string json)
    {
        var value = Json.Parse(json)!;
        SchemaDefaulter.ApplyDefaults(value, Schema);
        return Json.Text(value);
    }

    [Fact]
    public void AMissingObject_IsDefaultedAndThenItsOwnPropertiesAre()
    {
        Json.Equal("{'spec':{'replicas':1,'mode':'http','note':'n'}}", Json.Parse(Defaulted("{}")));
    }

    [Fact]
    public void GivenValues_AreKept()
    {
        Json.Equal("{'spec':{'replicas':3,'mode':'tls','note':'x'}}", Json.Parse(Defaulted("{'spec':{'replicas':3,'mode':'tls','note':'x'}}")));
    }

    [Fact]
    public void ANullOfANonNullableField_IsReplacedByItsDefault_ButANullableNullStays()
    {
        Json.Equal("{'spec':{'replicas':1,'mode':'http','note':null}}", Json.Parse(Defaulted("{'spec':{'replicas':null,'note':null}}")));
    }

    [Fact]
    public void DefaultsApply_InsideArrayItemsAndAdditionalProperties()
    {
        var result = Json.Parse(Defaulted("{'spec':{'ports':[{'port':80},{'port':53,'protocol':'UDP'}],'routes':{'a':{},'b':{'weight':5}}}}"))!;

        Json.Equal("[{'port':80,'protocol':'TCP'},{'port':53,'protocol':'UDP'}]", result["spec"]!["ports"]);
        Json.Equal("{'a':{'weight':100},'b':{'weight':5}}", result["spec"]!["routes"]);
    }

    [Fact]
    public void PruneNonNullableNulls_DropsNullsWithoutDefaults()
    {
        var value = Json.Parse("{'spec':{'ports':null,'note':null}}")!;

        SchemaDefaulter.PruneNonNullableNulls(value, Schema);

        Json.Equal("{'spec':{'note':null}}", value);
    }
}
