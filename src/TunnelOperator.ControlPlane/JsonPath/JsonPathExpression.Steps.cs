using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.JsonPath;

/// <summary>The evaluation steps (client-go jsonpath.go evalField, evalArray, evalWildcard, evalRecursive, evalFilter).</summary>
public sealed partial class JsonPathExpression
{
    private abstract class Step
    {
        public abstract IReadOnlyList<JsonNode?> Apply(IReadOnlyList<JsonNode?> input);
    }

    /// <summary>A named member of each object; several names form a union (<c>['a','b']</c>).</summary>
    private sealed class FieldStep(IReadOnlyList<string> names) : Step
    {
        public override IReadOnlyList<JsonNode?> Apply(IReadOnlyList<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                if (value is not JsonObject obj)
                {
                    continue;
                }

                foreach (var name in names)
                {
                    if (obj.TryGetPropertyValue(name, out var child))
                    {
                        results.Add(child);
                    }
                }
            }

            return results;
        }
    }

    /// <summary>Every element of arrays and every value of objects (<c>[*]</c>, <c>.*</c>), objects by sorted key.</summary>
    private sealed class WildcardStep : Step
    {
        public override IReadOnlyList<JsonNode?> Apply(IReadOnlyList<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                switch (value)
                {
                    case JsonArray array:
                        results.AddRange(array);
                        break;
                    case JsonObject obj:
                        results.AddRange(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value));
                        break;
                }
            }

            return results;
        }
    }

    /// <summary>Index, slice or union of them: <c>[0]</c>, <c>[-1]</c>, <c>[1:3]</c>, <c>[::2]</c>, <c>[0,2]</c>.</summary>
    private sealed class IndexStep(IReadOnlyList<(int? Start, int? End, int? Step, bool IsSlice)> selectors) : Step
    {
        public override IReadOnlyList<JsonNode?> Apply(IReadOnlyList<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                if (value is not JsonArray array)
                {
                    continue;
                }

                foreach (var (start, end, step, isSlice) in selectors)
                {
                    var n = array.Count;
                    if (!isSlice)
                    {
                        var i = start!.Value < 0 ? start.Value + n : start.Value;
                        if (i >= 0 && i < n)
                        {
                            results.Add(array[i]);
                        }

                        continue;
                    }

                    var from = Math.Clamp(start is { } s ? (s < 0 ? s + n : s) : 0, 0, n);
                    var to = Math.Clamp(end is { } e ? (e < 0 ? e + n : e) : n, 0, n);
                    var by = step is { } st && st > 0 ? st : 1;
                    for (var i = from; i < to; i += by)
                    {
                        results.Add(array[i]);
                    }
                }
            }

            return results;
        }
    }

    /// <summary><c>..</c>: each input and all of its descendants, depth first.</summary>
    private sealed class RecursiveStep : Step
    {
        public override IReadOnlyList<JsonNode?> Apply(IReadOnlyList<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                Collect(value, results);
            }

            return results;
        }

        private static void Collect(JsonNode? node, List<JsonNode?> results)
        {
            results.Add(node);
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (_, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        Collect(child, results);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Collect(child, results);
                    }

                    break;
            }
        }
    }

    /// <summary>An operand of a filter: a path relative to the item (<c>@.x</c>) or a literal.</summary>
    private sealed record Operand(IReadOnlyList<Step>? Path, JsonNode? Literal)
    {
        public IReadOnlyList<JsonNode?> Evaluate(JsonNode? item)
        {
            if (Path is null)
            {
                return [Literal];
            }

            IReadOnlyList<JsonNode?> current = [item];
            foreach (var step in Path)
            {
                current = step.Apply(current);
            }

            return current;
        }
    }

    /// <summary><c>[?(left op right)]</c> or <c>[?(@.k)]</c> over the elements of arrays.</summary>
    private sealed class FilterStep(Operand left, string op, Operand? right) : Step
    {
        public override IReadOnlyList<JsonNode?> Apply(IReadOnlyList<JsonNode?> input)
        {
            var results = new List<JsonNode?>();
            foreach (var value in input)
            {
                if (value is not JsonArray array)
                {
                    continue;
                }

                foreach (var item in array)
                {
                    var lefts = left.Evaluate(item);
                    if (op == "exists")
                    {
                        if (lefts.Count > 0)
                        {
                            results.Add(item);
                        }

                        continue;
                    }

                    // One value on each side, as evalFilter requires; none means the item does not match.
                    var rights = right!.Evaluate(item);
                    if (lefts.Count != 1 || rights.Count != 1)
                    {
                        continue;
                    }

                    if (Compare(lefts[0], rights[0], op))
                    {
                        results.Add(item);
                    }
                }
            }

            return results;
        }

        private static bool Compare(JsonNode? a, JsonNode? b, string op)
        {
            var ka = JsonNodes.Kind(a);
            var kb = JsonNodes.Kind(b);
            int? order = null;
            if (ka is JsonKind.Integer or JsonKind.Number && kb is JsonKind.Integer or JsonKind.Number)
            {
                order = JsonNodes.GetDouble((JsonValue)a!).CompareTo(JsonNodes.GetDouble((JsonValue)b!));
            }
            else if (ka == JsonKind.String && kb == JsonKind.String)
            {
                order = string.CompareOrdinal(JsonNodes.GetString(a), JsonNodes.GetString(b));
            }

            return op switch
            {
                "==" => order is { } o ? o == 0 : JsonNodes.Equal(a, b),
                "!=" => order is { } o ? o != 0 : !JsonNodes.Equal(a, b),
                "<" => order < 0,
                ">" => order > 0,
                "<=" => order <= 0,
                ">=" => order >= 0,
                _ => false,
            };
        }
    }

}
