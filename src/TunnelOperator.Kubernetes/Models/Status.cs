using System.Text.Json.Serialization;

namespace TunnelOperator.Kubernetes.Models;

/// <summary>
/// The result of a call that returns no object (meta/v1 Status): every API error, and a successful
/// delete. See the API conventions, "Response Status Kind": <see cref="Code"/> mirrors the HTTP
/// status and <see cref="Reason"/> is the machine-readable cause.
/// </summary>
public sealed record Status
{
    /// <summary>The <c>status</c> value of a call that succeeded.</summary>
    public const string SuccessStatus = "Success";

    /// <summary>The <c>status</c> value of a call that failed.</summary>
    public const string FailureStatus = "Failure";

    public string? ApiVersion { get; init; } = "v1";

    public string? Kind { get; init; } = "Status";

    public ListMeta? Metadata { get; init; }

    /// <summary>
    /// The <c>status</c> field: <c>Success</c> or <c>Failure</c> (C# forbids a member named after its type).
    /// </summary>
    [JsonPropertyName("status")]
    public string? Result { get; init; }

    public string? Message { get; init; }

    /// <summary>PascalCase cause, e.g. <c>NotFound</c>; see <see cref="Errors.StatusReasons"/>.</summary>
    public string? Reason { get; init; }

    public StatusDetails? Details { get; init; }

    /// <summary>The HTTP status code this Status stands for; 0 when not set.</summary>
    public int Code { get; init; }

    [JsonIgnore]
    public bool IsSuccess => Result == SuccessStatus;
}
