using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Errors;

/// <summary>
/// A watch or paged list asked for a resourceVersion the server no longer keeps (410 Gone, or an
/// ERROR watch event whose Status has code 410 / reason Expired). The caller's cache cannot be
/// brought up to date incrementally: relist, then watch from the list's resourceVersion (API
/// concepts, "Efficient detection of changes").
/// </summary>
public sealed class ResourceVersionExpiredException : KubernetesApiException
{
    public ResourceVersionExpiredException(Status status, string operation, Exception? innerException = null)
        : base(status, operation, innerException)
    {
    }

    /// <summary>Whether a Status says the requested version expired.</summary>
    internal static bool Matches(Status status) =>
        status.Code == 410 || status.Reason is StatusReasons.Expired or StatusReasons.Gone;
}
