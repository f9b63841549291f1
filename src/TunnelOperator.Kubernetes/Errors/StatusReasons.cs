namespace TunnelOperator.Kubernetes.Errors;

/// <summary>
/// The <c>reason</c> values of meta/v1 Status the client acts on (apimachinery
/// <c>metav1.StatusReason</c>); other reasons pass through unchanged.
/// </summary>
public static class StatusReasons
{
    public const string BadRequest = "BadRequest";
    public const string Unauthorized = "Unauthorized";
    public const string Forbidden = "Forbidden";
    public const string NotFound = "NotFound";
    public const string MethodNotAllowed = "MethodNotAllowed";
    public const string NotAcceptable = "NotAcceptable";
    public const string AlreadyExists = "AlreadyExists";
    public const string Conflict = "Conflict";
    public const string Gone = "Gone";

    /// <summary>The resourceVersion a list or watch asked for is older than the server keeps (410).</summary>
    public const string Expired = "Expired";

    public const string RequestEntityTooLarge = "RequestEntityTooLarge";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    public const string Invalid = "Invalid";
    public const string TooManyRequests = "TooManyRequests";
    public const string InternalError = "InternalError";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string Timeout = "Timeout";
    public const string ServerTimeout = "ServerTimeout";
    public const string Unknown = "Unknown";

    /// <summary>The reason a well-behaved server gives for an HTTP status whose body is not a Status.</summary>
    internal static string ForCode(int code) => code switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        410 => Gone,
        413 => RequestEntityTooLarge,
        415 => UnsupportedMediaType,
        422 => Invalid,
        429 => TooManyRequests,
        500 => InternalError,
        503 => ServiceUnavailable,
        504 => ServerTimeout,
        _ => Unknown,
    };
}
