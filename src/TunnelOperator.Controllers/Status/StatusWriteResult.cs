using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers;

/// <summary>Whether a status write happened, and the object as it is now (the server's answer, or the observed object when nothing was written).</summary>
public sealed record StatusWriteResult<T>(bool Written, T Value)
    where T : KubernetesObject;
