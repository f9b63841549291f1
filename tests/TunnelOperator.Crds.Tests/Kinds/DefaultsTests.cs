using System.Reflection;
using System.Text.Json.Nodes;
using TunnelOperator.Crds.Generation;
using TunnelOperator.Crds.Tests.Support;

namespace TunnelOperator.Crds.Tests.Kinds;

/// <summary>
/// A C# property's initial value equals the schema default the API server applies, so an object
/// read by the operator looks the same whether or not the server defaulted it.
/// </summary>
public sealed class DefaultsTests
{
    public static TheoryData<string, string> DefaultedProperties() => new(Defaulted().Select(p => (p.DeclaringType!.FullName!, p.Name)));

    private static IEnumerable<PropertyInfo> Defaulted() =>
        typeof(CrdManifests).Assembly.GetTypes()
            .Where(t => t.IsClass)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.IsDefined(typeof(DefaultAttribute)));

    [Theory]
    [MemberData(nameof(DefaultedProperties))]
    public void Initialiser_EqualsTheSchemaDefault(string typeName, string propertyName)
    {
        var type = typeof(CrdManifests).Assembly.GetType(typeName)!;
        var property = type.GetProperty(propertyName)!;
        var declared = property.GetCustomAttribute<DefaultAttribute>()!.Value;

        // Types with required members still have a parameterless constructor at run time; the
        // initialisers run and required members stay unset, which is all this test reads.
        var instance = Activator.CreateInstance(type)!;
        var initial = property.GetValue(instance);

        if (declared is null)
        {
            Assert.NotNull(initial);
        }
        else
        {
            Assert.Equal(declared, initial);
        }
    }

    [Fact]
    public void EveryDefault_IsOnANonNullableProperty()
    {
        var nullable = new NullabilityInfoContext();
        foreach (var property in Defaulted())
        {
            Assert.True(nullable.Create(property).ReadState == NullabilityState.NotNull, $"{property.DeclaringType!.Name}.{property.Name} has a default, so it is never absent: make it non-nullable");
        }
    }

    [Fact]
    public void AnEmptySpec_DefaultsToWhatTheTypesInitialise()
    {
        var schema = Manifests.Schema("EdgeNode");
        var edge = new JsonObject { ["spec"] = new JsonObject { ["baseHost"] = "tnl.example.com" } };

        SchemaValidator.ApplyDefaults(edge, schema);

        Assert.Equal(
            """{"spec":{"baseHost":"tnl.example.com","maxConcurrentRequests":256,"ports":{"admin":9090,"control":7777,"http":80,"https":443},"replicas":1,"service":{"type":"LoadBalancer"},"store":{"type":"sqlite"},"tls":{"mode":"selfSigned"}}}""",
            edge.ToJsonString());
    }
}
