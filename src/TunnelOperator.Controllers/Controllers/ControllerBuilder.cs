using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Controllers.Controllers;

/// <summary>The first step of building a controller: the kind it reconciles.</summary>
public sealed class ControllerBuilder
{
    private readonly ControllerHost _host;
    private readonly string _name;

    internal ControllerBuilder(ControllerHost host, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _host = host;
        _name = name;
    }

    /// <summary>Reconcile objects of <typeparamref name="T"/>: each change of one queues its key.</summary>
    public ControllerBuilder<T> For<T>()
        where T : KubernetesObject, IKubernetesEntity<T> => new(_host, _name);
}
