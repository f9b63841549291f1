using TunnelOperator.ControlPlane.Tests.Server;

namespace TunnelOperator.ControlPlane.Tests.Kubectl;

/// <summary>One control plane per kubectl test class, with the sample CRD written as YAML for kubectl to apply.</summary>
public sealed class KubectlHarness : IAsyncLifetime
{
    public ControlPlaneHarness Plane { get; } = new();

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "kubectl-tests-" + Guid.NewGuid().ToString("n"));

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        await Plane.InitializeAsync();
    }

    /// <summary>Writes a manifest into the harness directory and returns its path.</summary>
    public string Write(string name, string yaml)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Plane.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public const string WidgetCrdYaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.tunneloperator.io
        spec:
          group: example.tunneloperator.io
          scope: Namespaced
          names:
            plural: widgets
            singular: widget
            kind: Widget
            shortNames: [wg]
            categories: [tunnels]
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            additionalPrinterColumns:
            - name: Port
              type: integer
              jsonPath: .spec.port
            - name: Host
              type: string
              priority: 1
              jsonPath: .spec.host
            - name: Ready
              type: string
              jsonPath: .status.conditions[?(@.type=="Ready")].status
            - name: Age
              type: date
              jsonPath: .metadata.creationTimestamp
            schema:
              openAPIV3Schema:
                type: object
                description: A Widget exposes one port.
                properties:
                  spec:
                    type: object
                    description: What the widget exposes.
                    required: [port]
                    properties:
                      port:
                        type: integer
                        description: The port to expose.
                        minimum: 1
                        maximum: 65535
                      host:
                        type: string
                        default: example.com
                  status:
                    type: object
                    properties:
                      conditions:
                        type: array
                        items:
                          type: object
                          properties:
                            type: {type: string}
                            status: {type: string}
                            reason: {type: string}
                            message: {type: string}
                            lastTransitionTime: {type: string, format: date-time}
        """;
}
