using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// One validation failure, as a field.Error. <see cref="Message"/> is the error body exactly as the apiserver
/// puts it in StatusCause.message (field.Error.ErrorBody(): the type's text, the bad value, the detail), e.g.
/// <c>Required value</c> or <c>Unsupported value: "foo": supported values: "a", "b"</c>.
/// <see cref="ToString"/> gives the aggregated form used in Status.message: <c>spec.replicas: Required value</c>.
/// </summary>
public sealed record FieldError(string Field, FieldErrorType Type, string Message, JsonNode? BadValue = null)
{
    /// <summary>The StatusCause.reason (metav1.CauseType) for <see cref="Type"/>.</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        _ => "FieldValueUnknown",
    };

    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";

    // Constructors that build the body the way field.Required/Invalid/... do.

    internal static FieldError Required(string field, string detail = "") =>
        new(field, FieldErrorType.Required, WithDetail("Required value", detail));

    internal static FieldError Forbidden(string field, string detail) =>
        new(field, FieldErrorType.Forbidden, WithDetail("Forbidden", detail));

    internal static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new(field, FieldErrorType.Invalid, WithDetail("Invalid value: " + GoText.BadValue(value), detail), value?.DeepClone());

    internal static FieldError TypeInvalid(string field, JsonNode? value, string detail) =>
        new(field, FieldErrorType.TypeInvalid, WithDetail("Invalid value: " + GoText.BadValue(value), detail), value?.DeepClone());

    internal static FieldError Duplicate(string field, JsonNode? value) =>
        new(field, FieldErrorType.Duplicate, "Duplicate value: " + GoText.BadValue(value), value?.DeepClone());

    internal static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported)
    {
        var quoted = supported.Select(GoText.Quote).ToList();
        var detail = quoted.Count == 0 ? "" : "supported values: " + string.Join(", ", quoted);
        return new(field, FieldErrorType.NotSupported, WithDetail("Unsupported value: " + GoText.BadValue(value), detail), value?.DeepClone());
    }

    internal static FieldError TooLong(string field, long max)
    {
        var detail = max >= 0 ? $"may not be more than {max} {(max == 1 ? "byte" : "bytes")}" : "value is too long";
        return new(field, FieldErrorType.TooLong, "Too long: " + detail);
    }

    internal static FieldError TooMany(string field, long actual, long max)
    {
        var detail = max >= 0 ? $"must have at most {max} {(max == 1 ? "item" : "items")}" : "has too many items";
        var head = actual >= 0 ? $"Too many: {actual}" : "Too many";
        return new(field, FieldErrorType.TooMany, $"{head}: {detail}", actual >= 0 ? JsonValue.Create(actual) : null);
    }

    private static string WithDetail(string head, string detail) => detail.Length == 0 ? head : head + ": " + detail;
}
