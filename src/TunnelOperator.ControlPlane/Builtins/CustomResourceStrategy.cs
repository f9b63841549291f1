using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Builtins;

/// <summary>
/// A custom resource version's rules, from its CRD's structural schema, in the order the apiextensions
/// apiserver applies them: prune unknown fields (reported per fieldValidation), default (on write and on
/// read), validate (422 with a cause per field).
/// </summary>
internal sealed class CustomResourceStrategy : ResourceStrategy
{
    private readonly StructuralSchema? _schema;

    public CustomResourceStrategy(StructuralSchema? schema) => _schema = schema;

    public StructuralSchema? Schema => _schema;

    public override ApiError? Decode(JsonObject obj, ResourceDefinition def, FieldValidation validation, List<string> warnings)
    {
        if (_schema is null)
        {
            return null;
        }

        var pruned = SchemaPruner.Prune(obj, _schema).Select(p => p.TrimStart('.')).ToList();
        if (pruned.Count > 0)
        {
            switch (validation)
            {
                case FieldValidation.Strict:
                    return ApiError.BadRequest("strict decoding error: " + string.Join(", ", pruned.Select(p => $"unknown field \"{p}\"")));
                case FieldValidation.Warn:
                    warnings.AddRange(pruned.Select(p => $"unknown field \"{p}\""));
                    break;
            }
        }

        SchemaDefaulter.ApplyDefaults(obj, _schema);
        SchemaDefaulter.PruneNonNullableNulls(obj, _schema);
        return null;
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def) =>
        _schema is null ? [] : SchemaValidator.Validate(obj, _schema, "");

    public override void OnRead(JsonObject obj, ResourceDefinition def)
    {
        if (_schema is not null)
        {
            SchemaDefaulter.ApplyDefaults(obj, _schema);
        }
    }
}
