using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.JsonPath;

/// <summary>
/// The JSONPath dialect of k8s.io/client-go/util/jsonpath as the apiserver uses it for additionalPrinterColumns
/// (apiextensions tableconvertor, with AllowMissingKeys) and kubectl for <c>-o jsonpath</c>: <c>.a.b</c>,
/// <c>['a.b']</c>, <c>[0]</c>, <c>[-1]</c>, <c>[1:3]</c>, <c>[*]</c>, <c>..name</c>, unions <c>[0,1]</c>,
/// and filters <c>[?(@.type=="Ready")]</c>, <c>[?(@.x&gt;1)]</c>, <c>[?(@.k)]</c>; the surrounding <c>{}</c>
/// is optional. A path that matches nothing yields no results rather than an error.
/// </summary>
public sealed partial class JsonPathExpression
{
    private readonly IReadOnlyList<Step> _steps;

    private JsonPathExpression(string text, IReadOnlyList<Step> steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    /// <summary>Parses an expression. Throws <see cref="FormatException"/> when it is not valid JSONPath.</summary>
    public static JsonPathExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = text.Trim();
        if (body.StartsWith('{') && body.EndsWith('}'))
        {
            body = body[1..^1].Trim();
        }

        var parser = new Parser(body);
        var steps = parser.ParsePath(untilCloseParen: false);
        return new JsonPathExpression(text, steps);
    }

    /// <summary>Every value the path selects, in document order.</summary>
    public IReadOnlyList<JsonNode?> Evaluate(JsonNode? root)
    {
        IReadOnlyList<JsonNode?> current = [root];
        foreach (var step in _steps)
        {
            current = step.Apply(current);
            if (current.Count == 0)
            {
                break;
            }
        }

        return current;
    }

    public override string ToString() => Text;
}
