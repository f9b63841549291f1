using System.Text.Json.Nodes;

namespace TunnelOperator.Packaging.Tests.Support;

/// <summary>One permission a rule grants: a verb on a resource (or subresource) of an API group.</summary>
internal readonly record struct Permission(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)}/{Resource}:{Verb}";
}

/// <summary>RBAC rules expanded into the set of permissions they grant, for comparing roles as sets.</summary>
internal static class PolicyRules
{
    public static SortedSet<string> Expand(JsonNode? rules)
    {
        var granted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in (rules as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var group in Strings(rule["apiGroups"]))
            {
                foreach (var resource in Strings(rule["resources"]))
                {
                    foreach (var verb in Strings(rule["verbs"]))
                    {
                        granted.Add(new Permission(group, resource, verb).ToString());
                    }
                }
            }
        }

        return granted;
    }

    public static IEnumerable<string> Strings(JsonNode? list) =>
        (list as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "");

    /// <summary>What is missing from and what is extra in <paramref name="actual"/>, for failure messages.</summary>
    public static string Difference(IReadOnlySet<string> expected, IReadOnlySet<string> actual) =>
        $"missing: [{string.Join(", ", expected.Except(actual))}]; extra: [{string.Join(", ", actual.Except(expected))}]";
}
