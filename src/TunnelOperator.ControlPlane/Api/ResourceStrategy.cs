using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Api;

/// <summary>How unknown or duplicate fields in a request body are treated (<c>?fieldValidation=</c>).</summary>
internal enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

/// <summary>
/// Per-kind rules, in the spirit of kube-apiserver's RESTCreateStrategy/RESTUpdateStrategy: decoding
/// normalisation, defaulting, server-set fields and validation. The verbs (<see cref="ResourceService"/>)
/// own the rules shared by all kinds (identity, resourceVersion, generation, status, finalizers).
/// </summary>
internal class ResourceStrategy
{
    public static readonly ResourceStrategy Generic = new();

    /// <summary>
    /// Normalises a body as decoding would: defaulting, pruning (reporting pruned fields per
    /// <paramref name="validation"/>), and type-specific conversions. Returns a 400-class error to refuse it.
    /// </summary>
    public virtual ApiError? Decode(JsonObject obj, ResourceDefinition def, FieldValidation validation, List<string> warnings) => null;

    /// <summary>Sets server-owned fields of a new object (after identity fields are set).</summary>
    public virtual void PrepareForCreate(JsonObject obj, ResourceDefinition def)
    {
    }

    /// <summary>Carries server-owned fields from <paramref name="old"/> into an update.</summary>
    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old, ResourceDefinition def)
    {
    }

    /// <summary>
    /// The rule for <c>metadata.name</c> on create (ValidateObjectMeta's name function): a DNS subdomain unless the
    /// kind says otherwise (RBAC kinds take any path segment).
    /// </summary>
    public virtual IReadOnlyList<FieldError> ValidateName(string name) => ObjectNames.ValidateSubdomain("metadata.name", name);

    /// <summary>Validation of the object; <paramref name="old"/> is set for updates.</summary>
    public virtual IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old, ResourceDefinition def) => [];

    /// <summary>Changes on the way out (custom resources default on read too).</summary>
    public virtual void OnRead(JsonObject obj, ResourceDefinition def)
    {
    }

    /// <summary>Marks an object as being deleted (namespaces turn Terminating, CRDs get their cleanup finalizer).</summary>
    public virtual void PrepareForDelete(JsonObject obj, ResourceDefinition def)
    {
    }

    /// <summary>
    /// Whether nothing holds the object back any more once it is being deleted: no finalizers, and no
    /// graceful deletion pending (registry Store.Update deletes only at deletionGracePeriodSeconds 0).
    /// </summary>
    public virtual bool CanBeRemoved(JsonObject obj) =>
        Meta.Finalizers(obj).Count == 0 && (Meta.Long(obj["metadata"]?["deletionGracePeriodSeconds"]) ?? 0) == 0;

    /// <summary>
    /// The grace period of a delete (RESTGracefulDeleteStrategy.CheckGracefulDelete): 0 deletes at once;
    /// more leaves the object with a future deletionTimestamp until its owner (the kubelet, for pods)
    /// deletes it again with 0. Kinds without graceful deletion always answer 0.
    /// </summary>
    public virtual long GracePeriodSeconds(JsonObject current, long? requested) => 0;

    /// <summary>Whether a delete answers with the deleted object rather than a Status (pods do).</summary>
    public virtual bool ReturnsDeletedObject => false;

    /// <summary>Fields a field selector may name for this kind (besides metadata.name and metadata.namespace).</summary>
    public virtual string? SelectableField(JsonObject obj, string field) => null;
}
