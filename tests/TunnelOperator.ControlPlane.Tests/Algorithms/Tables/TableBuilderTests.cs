using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Tables;

namespace TunnelOperator.ControlPlane.Tests.Algorithms.Tables;

public sealed class TableBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    // k8s.io/apimachinery/pkg/util/duration/duration_test.go TestHumanDuration, plus every boundary.
    [Theory]
    [InlineData(1, "1s")]
    [InlineData(70, "70s")]
    [InlineData(190, "3m10s")]
    [InlineData(70 * 60, "70m")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(49 * 3600, "2d1h")]
    [InlineData((8 * 24 + 2) * 3600, "8d")]
    [InlineData(367 * 24 * 3600, "367d")]
    [InlineData((365 * 2 * 24 + 25) * 3600L, "2y1d")]
    [InlineData((365 * 8 * 24 + 2) * 3600L, "8y")]
    [InlineData(0, "0s")]
    [InlineData(-1, "0s")]
    [InlineData(-2, "<invalid>")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60 + 59, "179m")]
    [InlineData(180 * 60, "3h")]
    [InlineData(7 * 3600 + 59 * 60, "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(7 * 24 * 3600 + 23 * 3600, "7d23h")]
    [InlineData(365 * 2 * 24 * 3600L, "2y")]
    [InlineData(365 * 20 * 24 * 3600L, "20y")]
    public void HumanDuration_PrintsWhatKubectlPrints(long seconds, string expected)
    {
        Assert.Equal(expected, TableBuilder.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void HumanDuration_TruncatesFractionsAsGoDoes()
    {
        Assert.Equal("0s", TableBuilder.HumanDuration(TimeSpan.FromMilliseconds(-1500)));
        Assert.Equal("1s", TableBuilder.HumanDuration(TimeSpan.FromMilliseconds(1999)));
    }

    [Fact]
    public void ACrdWithoutColumns_GetsNameAndAge()
    {
        var columns = TableBuilder.FromPrinterColumns(null);

        Assert.Equal(["Name", "Age"], columns.Select(c => c.Name));
        Assert.Equal("name", columns[0].Format);
        Assert.Equal(("date", ".metadata.creationTimestamp"), (columns[1].Type, columns[1].JsonPath));
    }

    private static readonly JsonArray PrinterColumns = Json.Arr("""
        [{'name':'Host','type':'string','jsonPath':'.spec.host'},
         {'name':'Replicas','type':'integer','jsonPath':'.spec.replicas'},
         {'name':'Ratio','type':'number','jsonPath':'.spec.ratio'},
         {'name':'Ready','type':'boolean','jsonPath':'.status.ready'},
         {'name':'Condition','type':'string','jsonPath':'.status.conditions[?(@.type==\"Ready\")].status','priority':1,'description':'why'},
         {'name':'Ports','type':'string','jsonPath':'.spec.ports'},
         {'name':'Created','type':'date','jsonPath':'.metadata.creationTimestamp'},
         {'name':'Missing','type':'string','jsonPath':'.spec.nothing'},
         {'name':'Mistyped','type':'integer','jsonPath':'.spec.host'}]
        """);

    private static JsonObject Tunnel(string name, string created) => Json.Obj($$$"""
        {'apiVersion':'tunneloperator.io/v1alpha1','kind':'Tunnel','metadata':{'name':'{{{name}}}','namespace':'default','creationTimestamp':'{{{created}}}','resourceVersion':'7'},
         'spec':{'host':'a.example','replicas':2.0,'ratio':1,'ports':[80,443]},
         'status':{'ready':true,'conditions':[{'type':'Ready','status':'True'}]}}
        """);

    [Fact]
    public void Build_EvaluatesPrinterColumnsAndConvertsByType()
    {
        var table = TableBuilder.Build(TableBuilder.FromPrinterColumns(PrinterColumns), [Tunnel("t1", "2026-11-24T11:55:00Z")], "42", IncludeObject.Metadata, Now);

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        Json.Equal("{'resourceVersion':'42'}", table["metadata"]);
        Json.Equal("{'name':'Condition','type':'string','format':'','description':'why','priority':1}", table["columnDefinitions"]![5]);
        Json.Equal("['t1','a.example',2,1.0,true,'True','[80 443]','5m',null,null]", table["rows"]![0]!["cells"]);
    }

    [Fact]
    public void IncludeObject_ChoosesWhatEachRowCarries()
    {
        var columns = TableBuilder.FromPrinterColumns(null);
        var tunnel = Tunnel("t1", "2026-11-24T11:00:00Z");

        var metadata = TableBuilder.Build(columns, [tunnel], null, IncludeObject.Metadata, Now)["rows"]![0]!["object"]!;
        var whole = TableBuilder.Build(columns, [tunnel], null, IncludeObject.Object, Now)["rows"]![0]!["object"]!;
        var none = TableBuilder.Build(columns, [tunnel], null, IncludeObject.None, Now)["rows"]![0]!.AsObject();

        Json.Equal("{'kind':'PartialObjectMetadata','apiVersion':'meta.k8s.io/v1','metadata':{'name':'t1','namespace':'default','creationTimestamp':'2026-11-24T11:00:00Z','resourceVersion':'7'}}", metadata);
        Json.Equal(Json.Text(tunnel), whole);
        Assert.False(none.ContainsKey("object"));
    }

    [Fact]
    public void AnUnparseableDate_PrintsInvalid()
    {
        var table = TableBuilder.Build(TableBuilder.FromPrinterColumns(null), [Tunnel("t1", "yesterday")], null, IncludeObject.None, Now);

        Json.Equal("['t1','<invalid>']", table["rows"]![0]!["cells"]);
    }

    [Fact]
    public void AnEmptyList_HasColumnsAndNoRows()
    {
        var table = TableBuilder.Build(TableBuilder.FromPrinterColumns(null), [], "9", IncludeObject.Metadata, Now);

        Json.Equal("[]", table["rows"]);
        Assert.Equal(2, table["columnDefinitions"]!.AsArray().Count);
    }
}
