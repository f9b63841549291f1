using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TunnelOperator.Kubernetes.Config;
using TunnelOperator.Kubernetes.Models;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// The Kubernetes API client: one HTTP connection pool for the configuration, handing out typed
/// and dynamic resource clients that share it. Create one per process and dispose it at the end.
/// </summary>
public sealed class KubernetesClient : IKubernetesClient, IDisposable
{
    private readonly KubernetesTransport _transport;

    public KubernetesClient(KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new KubernetesClientOptions();
        var logger = (ILogger?)options.LoggerFactory?.CreateLogger("TunnelOperator.Kubernetes.Client") ?? NullLogger.Instance;
        _transport = new KubernetesTransport(configuration, options, logger);
        Configuration = configuration;
    }

    public KubernetesClientConfiguration Configuration { get; }

    public string DefaultNamespace => Configuration.Namespace;

    public IResourceClient<T> Resource<T>(string? @namespace = null)
        where T : KubernetesObject, IKubernetesEntity<T> =>
        new ResourceClient<T>(new ResourceClientCore<T, KubernetesList<T>>(_transport, T.Resource, @namespace, TypedCodec<T>.Instance));

    public IDynamicResourceClient Dynamic(ResourceType resource, string? @namespace = null) =>
        new DynamicResourceClient(new ResourceClientCore<JsonObject, JsonObject>(_transport, resource, @namespace, new DynamicCodec(resource)));

    public void Dispose() => _transport.Dispose();
}
