using System.Text;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>Builds <c>?a=1&amp;b=2</c>, escaping values, leaving out unset ones.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _text = new();

    public QueryString Add(string name, string? value)
    {
        if (value is not null)
        {
            _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public QueryString Add(string name, int? value) => Add(name, value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public QueryString Add(string name, bool value) => value ? Add(name, "true") : this;

    public QueryString Add(string name, bool? value) => value is null ? this : Add(name, value.Value ? "true" : "false");

    public QueryString Write(WriteOptions? options) => options is null
        ? this
        : Add("dryRun", options.DryRun ? "All" : null).Add("fieldManager", options.FieldManager).Add("fieldValidation", options.FieldValidation);

    public override string ToString() => _text.ToString();
}
