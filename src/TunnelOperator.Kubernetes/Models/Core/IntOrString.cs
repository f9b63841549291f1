using System.Globalization;
using System.Text.Json.Serialization;
using TunnelOperator.Kubernetes.Serialization;

namespace TunnelOperator.Kubernetes.Models.Core;

/// <summary>
/// A value written either as an integer or as a string (apimachinery intstr.IntOrString): a port
/// number or a port name, a count or a percentage such as <c>25%</c>. It is written back in the
/// form it was read in, so a read-modify-write does not turn <c>"8080"</c> into <c>8080</c>.
/// </summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    private IntOrString(int? intValue, string? stringValue)
    {
        IntValue = intValue;
        StringValue = stringValue;
    }

    /// <summary>Set when the value is a number.</summary>
    public int? IntValue { get; }

    /// <summary>Set when the value is a string.</summary>
    public string? StringValue { get; }

    public bool IsInt => IntValue is not null;

    public static IntOrString FromInt(int value) => new(value, null);

    public static IntOrString FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(null, value);
    }

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue ?? "";
}
