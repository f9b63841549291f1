using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Errors;

/// <summary>
/// The API server refused a call and said why in a meta/v1 <see cref="Models.Status"/> (or, when
/// a proxy in between answered with something else, a Status made up from the HTTP status). The
/// predicates follow apimachinery's <c>errors.IsNotFound</c> family: the reason decides, and the
/// code decides only when the server gave no reason.
/// </summary>
public class KubernetesApiException : Exception
{
    public KubernetesApiException(Status status, string operation, Exception? innerException = null)
        : base(Describe(status, operation), innerException)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
        Operation = operation;
    }

    /// <summary>The Status the server sent.</summary>
    public Status Status { get; }

    /// <summary>What was attempted, e.g. <c>get configmaps.core/v1 default/settings</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status code.</summary>
    public int Code => Status.Code;

    public string? Reason => Status.Reason;

    public bool IsNotFound => Is(StatusReasons.NotFound, 404);

    /// <summary>409 because a precondition (resourceVersion, uid) failed or server-side apply found other owners.</summary>
    public bool IsConflict => Is(StatusReasons.Conflict, 409);

    /// <summary>409 because an object of that name exists (create).</summary>
    public bool IsAlreadyExists => Reason == StatusReasons.AlreadyExists;

    /// <summary>422: the object failed validation; <see cref="StatusDetails.Causes"/> names the fields.</summary>
    public bool IsInvalid => Is(StatusReasons.Invalid, 422);

    /// <summary>410: the resourceVersion or continue token is too old; relist.</summary>
    public bool IsGone => Reason is StatusReasons.Gone or StatusReasons.Expired || (Code == 410 && !HasReason);

    public bool IsForbidden => Is(StatusReasons.Forbidden, 403);

    public bool IsUnauthorized => Is(StatusReasons.Unauthorized, 401);

    public bool IsTooManyRequests => Is(StatusReasons.TooManyRequests, 429);

    /// <summary>When the server asked the client to come back, if it did (Status details or Retry-After).</summary>
    public TimeSpan? RetryAfter => Status.Details?.RetryAfterSeconds is int seconds and > 0 ? TimeSpan.FromSeconds(seconds) : null;

    private bool HasReason => !string.IsNullOrEmpty(Reason) && Reason != StatusReasons.Unknown;

    private bool Is(string reason, int code) => Reason == reason || (Code == code && !HasReason);

    private static string Describe(Status status, string operation)
    {
        var message = string.IsNullOrEmpty(status.Message) ? "no message" : status.Message;
        return $"{operation}: {message} ({status.Code} {status.Reason ?? StatusReasons.Unknown})";
    }
}
