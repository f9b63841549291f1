using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.OpenApi;

/// <summary>
/// The k8s.io/apimachinery meta/v1 definitions the CRD documents reference (ObjectMeta and what it uses,
/// ListMeta, Status, DeleteOptions, Patch, WatchEvent), as kube-apiserver publishes them, so that
/// <c>kubectl explain</c> can resolve every $ref inside one document.
/// </summary>
internal static class MetaSchemas
{
    public const string Prefix = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    public const string ObjectMeta = Prefix + "ObjectMeta";
    public const string ListMeta = Prefix + "ListMeta";
    public const string Status = Prefix + "Status";
    public const string DeleteOptions = Prefix + "DeleteOptions";
    public const string Patch = Prefix + "Patch";
    public const string WatchEvent = Prefix + "WatchEvent";

    /// <summary>All definitions, with references written by <paramref name="reference"/> (v3 components or v2 definitions).</summary>
    public static IEnumerable<(string Name, JsonObject Schema)> All(Func<string, JsonObject> reference)
    {
        JsonObject Str(string d) => new() { ["description"] = d, ["type"] = "string" };
        JsonObject Int(string d, string format) => new() { ["description"] = d, ["type"] = "integer", ["format"] = format };
        JsonObject Bool(string d) => new() { ["description"] = d, ["type"] = "boolean" };
        JsonObject Ref(string name, string d) => With(reference(Prefix + name), d);
        JsonObject Obj(string d, params (string Name, JsonObject Schema)[] props) => new()
        {
            ["description"] = d,
            ["type"] = "object",
            ["properties"] = new JsonObject(props.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Schema))),
        };

        const string ApiVersion = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
        const string Kind = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

        yield return ("io.k8s.apimachinery.pkg.apis.meta.v1.Time", new JsonObject
        {
            ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
            ["type"] = "string",
            ["format"] = "date-time",
        });
        yield return (Prefix + "FieldsV1", new JsonObject
        {
            ["description"] = "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
            ["type"] = "object",
        });
        yield return (Prefix + "ManagedFieldsEntry", Obj(
            "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.",
            ("apiVersion", Str("APIVersion defines the version of this resource that this field set applies to. The format is \"group/version\" just like the top-level APIVersion field. It is necessary to track the version of a field set because it cannot be automatically converted.")),
            ("fieldsType", Str("FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: \"FieldsV1\"")),
            ("fieldsV1", Ref("FieldsV1", "FieldsV1 holds the first JSON version format as described in the \"FieldsV1\" type.")),
            ("manager", Str("Manager is an identifier of the workflow managing these fields.")),
            ("operation", Str("Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.")),
            ("subresource", Str("Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource. The value of this field is used to distinguish between managers, even if they share the same name. For example, a status update will be distinct from a regular update using the same manager name. Note that the APIVersion field is not related to the Subresource field and it always corresponds to the version of the main resource.")),
            ("time", Ref("Time", "Time is the timestamp of when the ManagedFields entry was added. The timestamp will also be updated if a field is added, the manager changes any of the owned fields value or removes a field. The timestamp does not update when a field is removed from the entry because another manager took it over."))));

        var ownerReference = Obj(
            "OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.",
            ("apiVersion", Str("API version of the referent.")),
            ("blockOwnerDeletion", Bool("If true, AND if the owner has the \"foregroundDeletion\" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.")),
            ("controller", Bool("If true, this reference points to the managing controller.")),
            ("kind", Str("Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds")),
            ("name", Str("Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names")),
            ("uid", Str("UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids")));
        ownerReference["required"] = new JsonArray("apiVersion", "kind", "name", "uid");
        ownerReference["x-kubernetes-map-type"] = "atomic";
        yield return (Prefix + "OwnerReference", ownerReference);

        var labels = new JsonObject { ["description"] = "Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels", ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } };
        var annotations = new JsonObject { ["description"] = "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations", ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } };
        var finalizers = new JsonObject { ["description"] = "Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list. If the deletionTimestamp of the object is non-nil, entries in this list can only be removed.", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["x-kubernetes-list-type"] = "set", ["x-kubernetes-patch-strategy"] = "merge" };
        var managedFields = new JsonObject { ["description"] = "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn't need to set or understand this field.", ["type"] = "array", ["items"] = reference(Prefix + "ManagedFieldsEntry"), ["x-kubernetes-list-type"] = "atomic" };
        var ownerReferences = new JsonObject { ["description"] = "List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true. There cannot be more than one managing controller.", ["type"] = "array", ["items"] = reference(Prefix + "OwnerReference"), ["x-kubernetes-list-map-keys"] = new JsonArray("uid"), ["x-kubernetes-list-type"] = "map", ["x-kubernetes-patch-merge-key"] = "uid", ["x-kubernetes-patch-strategy"] = "merge" };
        yield return (ObjectMeta, Obj(
            "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ("annotations", annotations),
            ("creationTimestamp", Ref("Time", "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")),
            ("deletionGracePeriodSeconds", Int("Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. May only be shortened. Read-only.", "int64")),
            ("deletionTimestamp", Ref("Time", "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client.\n\nPopulated by the system when a graceful deletion is requested. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")),
            ("finalizers", finalizers),
            ("generateName", Str("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided. If this field is used, the name returned to the client will be different than the name passed. This value will also be combined with a unique suffix. The provided value has the same validation rules as the Name field, and may be truncated by the length of the suffix required to make the value unique on the server.\n\nApplied only if Name is not specified. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#idempotency")),
            ("generation", Int("A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.", "int64")),
            ("labels", labels),
            ("managedFields", managedFields),
            ("name", Str("Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names")),
            ("namespace", Str("Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace, but \"default\" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.\n\nMust be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces")),
            ("ownerReferences", ownerReferences),
            ("resourceVersion", Str("An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. May be used for optimistic concurrency, change detection, and the watch operation on a resource or set of resources. Clients must treat these values as opaque and passed unmodified back to the server. They may only be valid for a particular resource or set of resources.\n\nPopulated by the system. Read-only. Value must be treated as opaque by clients and . More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency")),
            ("selfLink", Str("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.")),
            ("uid", Str("UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations.\n\nPopulated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids"))));

        yield return (ListMeta, Obj(
            "ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}.",
            ("continue", Str("continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available. The value is opaque and may be used to issue another request to the endpoint that served this list to retrieve the next set of available objects.")),
            ("remainingItemCount", Int("remainingItemCount is the number of subsequent items in the list which are not included in this list response.", "int64")),
            ("resourceVersion", Str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed. Value must be treated as opaque by clients and passed unmodified back to the server. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency")),
            ("selfLink", Str("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."))));

        yield return (Prefix + "StatusCause", Obj(
            "StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.",
            ("field", Str("The field of the resource that has caused this error, as named by its JSON serialization.")),
            ("message", Str("A human-readable description of the cause of the error.  This field may be presented as-is to a reader.")),
            ("reason", Str("A machine-readable description of the cause of the error. If this value is empty there is no information available."))));
        yield return (Prefix + "StatusDetails", Obj(
            "StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.",
            ("causes", new JsonObject { ["description"] = "The Causes array includes more details associated with the StatusReason failure.", ["type"] = "array", ["items"] = reference(Prefix + "StatusCause"), ["x-kubernetes-list-type"] = "atomic" }),
            ("group", Str("The group attribute of the resource associated with the status StatusReason.")),
            ("kind", Str("The kind attribute of the resource associated with the status StatusReason.")),
            ("name", Str("The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).")),
            ("retryAfterSeconds", Int("If specified, the time in seconds before the operation should be retried.", "int32")),
            ("uid", Str("UID of the resource."))));
        yield return (Status, Obj(
            "Status is a return value for calls that don't return other objects.",
            ("apiVersion", Str(ApiVersion)),
            ("code", Int("Suggested HTTP return code for this status, 0 if not set.", "int32")),
            ("details", Ref("StatusDetails", "Extended data associated with the reason.")),
            ("kind", Str(Kind)),
            ("message", Str("A human-readable description of the status of this operation.")),
            ("metadata", Ref("ListMeta", "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds")),
            ("reason", Str("A machine-readable description of why this operation is in the \"Failure\" status.")),
            ("status", Str("Status of the operation. One of: \"Success\" or \"Failure\"."))));
        yield return (Prefix + "Preconditions", Obj(
            "Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.",
            ("resourceVersion", Str("Specifies the target ResourceVersion")),
            ("uid", Str("Specifies the target UID."))));
        yield return (DeleteOptions, Obj(
            "DeleteOptions may be provided when deleting an API object.",
            ("apiVersion", Str(ApiVersion)),
            ("dryRun", new JsonObject { ["description"] = "When present, indicates that modifications should not be persisted.", ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["x-kubernetes-list-type"] = "atomic" }),
            ("gracePeriodSeconds", Int("The duration in seconds before the object should be deleted.", "int64")),
            ("kind", Str(Kind)),
            ("orphanDependents", Bool("Deprecated: please use the PropagationPolicy.")),
            ("preconditions", Ref("Preconditions", "Must be fulfilled before a deletion is carried out.")),
            ("propagationPolicy", Str("Whether and how garbage collection will be performed."))));
        yield return (Patch, new JsonObject { ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.", ["type"] = "object" });
        yield return ("io.k8s.apimachinery.pkg.runtime.RawExtension", new JsonObject { ["description"] = "RawExtension is used to hold extensions in external versions.", ["type"] = "object" });
        var watchEvent = Obj(
            "Event represents a single event to a watched resource.",
            ("object", With(reference("io.k8s.apimachinery.pkg.runtime.RawExtension"), "Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context.")),
            ("type", new JsonObject { ["type"] = "string" }));
        watchEvent["required"] = new JsonArray("type", "object");
        yield return (WatchEvent, watchEvent);
    }

    /// <summary>
    /// A reference with a description. OpenAPI v3 ignores siblings of $ref, so kube-openapi wraps v3 references
    /// in allOf; Swagger 2.0 documents put the description beside the $ref.
    /// </summary>
    public static JsonObject With(JsonObject reference, string description)
    {
        var target = reference["$ref"]!.GetValue<string>();
        return target.StartsWith("#/components/", StringComparison.Ordinal)
            ? new JsonObject { ["description"] = description, ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = target }) }
            : new JsonObject { ["description"] = description, ["$ref"] = target };
    }
}
