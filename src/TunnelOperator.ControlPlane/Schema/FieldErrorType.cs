namespace TunnelOperator.ControlPlane.Schema;

/// <summary>
/// The kinds of field.Error the apiserver reports (k8s.io/apimachinery/pkg/util/validation/field/errors.go).
/// Each maps to a StatusCause.reason: Invalid → FieldValueInvalid, Required → FieldValueRequired,
/// NotSupported → FieldValueNotSupported, Duplicate → FieldValueDuplicate, TooLong → FieldValueTooLong,
/// TooMany → FieldValueTooMany, Forbidden → FieldValueForbidden, Unknown → FieldValueUnknown (not used by
/// schema validation), TypeInvalid → FieldValueTypeInvalid.
/// </summary>
public enum FieldErrorType
{
    Invalid,
    Required,
    NotSupported,
    Duplicate,
    TooLong,
    TooMany,
    Forbidden,
    Unknown,
    TypeInvalid,
}
