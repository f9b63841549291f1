using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>One entry of <c>Status.details.causes</c>.</summary>
internal sealed record StatusCause(string Reason, string Message, string? Field);

/// <summary>
/// An expected failure, rendered as a meta/v1 <c>Status</c> (API conventions, "Response Status Kind"):
/// <c>kind: Status, status: Failure, message, reason, details{name, group, kind, causes}, code</c>.
/// Messages follow kube-apiserver's wording because clients (kubectl, client-go's
/// <c>errors.IsConflict</c> and friends) and people read them.
/// </summary>
internal sealed record ApiError(int Code, string Reason, string Message)
{
    public string? Name { get; init; }

    public string? Group { get; init; }

    /// <summary>kube-apiserver puts the resource (plural) here for most errors and the Kind for Invalid.</summary>
    public string? Kind { get; init; }

    public string? Uid { get; init; }

    public IReadOnlyList<StatusCause>? Causes { get; init; }

    public int? RetryAfterSeconds { get; init; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(Name))
        {
            details["name"] = Name;
        }

        if (!string.IsNullOrEmpty(Group))
        {
            details["group"] = Group;
        }

        if (!string.IsNullOrEmpty(Kind))
        {
            details["kind"] = Kind;
        }

        if (!string.IsNullOrEmpty(Uid))
        {
            details["uid"] = Uid;
        }

        if (Causes is { Count: > 0 })
        {
            var causes = new JsonArray();
            foreach (var cause in Causes)
            {
                var c = new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message };
                if (cause.Field is not null)
                {
                    c["field"] = cause.Field;
                }

                causes.Add(c);
            }

            details["causes"] = causes;
        }

        if (RetryAfterSeconds is { } retry)
        {
            details["retryAfterSeconds"] = retry;
        }

        if (details.Count > 0)
        {
            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }

    public static ApiError NotFound(GroupResource resource, string name) =>
        new(404, "NotFound", $"{resource} \"{name}\" not found") { Name = name, Group = resource.Group, Kind = resource.Resource };

    public static ApiError AlreadyExists(GroupResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource} \"{name}\" already exists") { Name = name, Group = resource.Group, Kind = resource.Resource };

    public const string ModifiedMessage = "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiError Conflict(GroupResource resource, string name, string detail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": {detail}") { Name = name, Group = resource.Group, Kind = resource.Resource };

    /// <summary>422: one error renders bare, several in brackets, as <c>ToAggregate()</c> prints them.</summary>
    public static ApiError Invalid(GroupKind kind, string name, IReadOnlyList<FieldError> problems)
    {
        var rendered = problems.Select(p => p.ToString()).ToList();
        var summary = rendered.Count == 1 ? rendered[0] : "[" + string.Join(", ", rendered) + "]";
        return new ApiError(422, "Invalid", $"{kind} \"{name}\" is invalid: {summary}")
        {
            Name = name,
            Group = kind.Group,
            Kind = kind.Kind,
            Causes = problems.Select(p => new StatusCause(p.Reason, p.Message, p.Field)).ToList(),
        };
    }

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Forbidden(GroupResource resource, string name, string reason) =>
        new(403, "Forbidden", $"{resource} \"{name}\" is forbidden: {reason}") { Name = name, Group = resource.Group, Kind = resource.Resource };

    public static ApiError NamespaceTerminating(GroupResource resource, string name, string ns) =>
        Forbidden(resource, name, $"unable to create new content in namespace {ns} because it is being terminated") with
        {
            Causes = [new StatusCause("NamespaceTerminating", $"namespace {ns} is being terminated", "metadata.namespace")],
        };

    public static ApiError Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiError MethodNotSupported(GroupResource resource, string verb) =>
        new(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{resource}\"") { Group = resource.Group, Kind = resource.Resource };

    public static ApiError UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}")
        {
            Causes = contentType.Length == 0 ? null : [new StatusCause("UnsupportedMediaType", contentType, null)],
        };

    public static ApiError NotAcceptable(string accept) =>
        new(406, "NotAcceptable", $"only the following media types are accepted: application/json, application/yaml") { Causes = [new StatusCause("NotAcceptable", accept, null)] };

    public static ApiError Expired(string message) => new(410, "Expired", message);

    public static ApiError Gone(string message) => new(410, "Gone", message);

    public static ApiError Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}") { Causes = [new StatusCause("", message, null)] };

    public static ApiError Timeout(string message) => new(504, "Timeout", message);

    public static ApiError TooManyRequests(string message) => new(429, "TooManyRequests", message) { RetryAfterSeconds = 1 };

    public static ApiError RequestTooLarge() => new(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");

    public static ApiError PathNotFound() => new(404, "NotFound", "the server could not find the requested resource");
}
