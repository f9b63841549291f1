using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Tables;

/// <summary>
/// Table columns of the built-in kinds, as the apiserver's printers produce them with Wide output
/// (kubernetes pkg/printers/internalversion/printers.go; CRDs use the default table convertor of
/// k8s.io/apiserver/pkg/registry/rest/table.go). kubectl upper-cases the names and shows priority 1 columns only
/// with <c>-o wide</c>. Ages are pre-formatted strings (translateTimestampSince), except CRDs' "Created At",
/// an RFC 3339 date.
/// </summary>
public static partial class BuiltinColumns
{
    /// <summary>The column set of a built-in kind; null for kinds without printers here (use the default Name/Created At set).</summary>
    public static BuiltinColumnSet? For(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("v1", "Namespace") => Namespaces,
        ("v1", "ConfigMap") => ConfigMaps,
        ("v1", "Secret") => Secrets,
        ("v1", "Service") => Services,
        ("v1", "Endpoints") => Endpoints,
        ("v1", "Pod") => Pods,
        ("apps/v1", "Deployment") => Deployments,
        ("v1", "Event") => Events,
        ("coordination.k8s.io/v1", "Lease") => Leases,
        ("rbac.authorization.k8s.io/v1", "RoleBinding") => RoleBindings,
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding") => ClusterRoleBindings,
        ("rbac.authorization.k8s.io/v1", "Role" or "ClusterRole") => Default,
        ("apiextensions.k8s.io/v1", "CustomResourceDefinition") => Default,
        _ => null,
    };

    /// <summary>rest.NewDefaultTableConvertor: Name and "Created At".</summary>
    public static BuiltinColumnSet Default { get; } = new(
        [TableBuilder.NameColumn, Column("Created At", TableBuilder.CreationTimestampDescription, type: "date")],
        (o, _) => [Text(TableBuilder.Name(o)), CreatedAt(o)]);

    // A property, not a field: the column sets in the other partial files may initialize first.
    private static ColumnDefinition Age => Column("Age", TableBuilder.CreationTimestampDescription);

    private static readonly BuiltinColumnSet Namespaces = new(
        [TableBuilder.NameColumn, Column("Status", "The status of the namespace"), Age],
        (o, now) => [Text(TableBuilder.Name(o)), Text(Str(o, "status", "phase")), AgeOf(o, now)]);

    private static readonly BuiltinColumnSet ConfigMaps = new(
        [TableBuilder.NameColumn, Column("Data", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."), Age],
        (o, now) => [Text(TableBuilder.Name(o)), JsonValue.Create((long)(Count(o["data"]) + Count(o["binaryData"]))), AgeOf(o, now)]);

    private static readonly BuiltinColumnSet Secrets = new(
        [TableBuilder.NameColumn, Column("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
         Column("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"), Age],
        (o, now) => [Text(TableBuilder.Name(o)), Text(Str(o, "type")), JsonValue.Create((long)Count(o["data"])), AgeOf(o, now)]);

    private static readonly BuiltinColumnSet Leases = new(
        [TableBuilder.NameColumn, Column("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."), Age],
        (o, now) => [Text(TableBuilder.Name(o)), Text(Str(o, "spec", "holderIdentity")), AgeOf(o, now)]);

    private static readonly BuiltinColumnSet Services = new(
        [TableBuilder.NameColumn,
         Column("Type", "type determines how the Service is exposed. Defaults to ClusterIP."),
         Column("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
         Column("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
         Column("Port(s)", "The list of ports that are exposed by this service."),
         Age,
         Column("Selector", "Route service traffic to pods with label keys and values matching this selector.", priority: 1)],
        ServiceCells);

    private static readonly BuiltinColumnSet Deployments = new(
        [TableBuilder.NameColumn,
         Column("Ready", "Number of the pod with ready state"),
         Column("Up-to-date", "Total number of non-terminating pods targeted by this deployment that have the desired template spec."),
         Column("Available", "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment."),
         Age,
         Column("Containers", "Names of each container in the template.", priority: 1),
         Column("Images", "Images referenced by each container in the template.", priority: 1),
         Column("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.", priority: 1)],
        DeploymentCells);

    private static readonly BuiltinColumnSet Events = new(
        [Column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
         Column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
         Column("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
         Column("Object", "The object that this event is about."),
         Column("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", priority: 1),
         Column("Source", "The component reporting this event. Should be a short machine understandable string.", priority: 1),
         Column("Message", "A human-readable description of the status of this operation."),
         Column("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", priority: 1),
         Column("Count", "The number of times this event has occurred.", priority: 1),
         TableBuilder.NameColumn with { Priority = 1 }],
        EventCells);

    private static ColumnDefinition Column(string name, string description, int priority = 0, string type = "string") =>
        new(name, type, "", description, priority, null);

    private static JsonNode Text(string? s) => JsonValue.Create(s ?? "");

    private static string? Str(JsonNode? node, params string[] path) =>
        JsonNodes.GetString(path.Aggregate(node, (n, p) => n?[p]));

    private static long Int(JsonNode? node, params string[] path) =>
        path.Aggregate(node, (n, p) => n?[p]) is JsonValue v && JsonNodes.TryGetInt64(v, out var l) ? l : 0;

    private static int Count(JsonNode? node) => node switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 0,
    };

    private static JsonNode AgeOf(JsonObject o, DateTimeOffset now) => Text(TableBuilder.Since(o["metadata"]?["creationTimestamp"], now));

    // The default convertor prints creationTimestamp as RFC 3339 in UTC.
    private static JsonNode CreatedAt(JsonObject o)
    {
        var s = Str(o, "metadata", "creationTimestamp");
        return Text(s is not null && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : "0001-01-01T00:00:00Z");
    }
}
