using System.Text.Json.Nodes;

namespace TunnelOperator.ControlPlane.OpenApi;

/// <summary>
/// The REST paths of a CRD version and their operations, as the apiserver's endpoint installer describes them
/// (k8s.io/apiserver/pkg/endpoints/installer.go): operation ids, x-kubernetes-action,
/// x-kubernetes-group-version-kind, and the query parameters of each verb.
/// </summary>
internal sealed partial class DocumentBuilder
{
    private static readonly (string Name, string Description, string Type)[] WriteParameters =
    [
        ("dryRun", "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed", "string"),
        ("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.", "string"),
        ("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.", "string"),
    ];

    private static readonly (string Name, string Description, string Type) Force =
        ("force", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.", "boolean");

    private static readonly (string Name, string Description, string Type)[] ListParameters =
    [
        ("allowWatchBookmarks", "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion.", "boolean"),
        ("continue", "The continue option should be set when retrieving more results from the server.", "string"),
        ("fieldSelector", "A selector to restrict the list of returned objects by their fields. Defaults to everything.", "string"),
        ("labelSelector", "A selector to restrict the list of returned objects by their labels. Defaults to everything.", "string"),
        ("limit", "limit is a maximum number of responses to return for a list call.", "integer"),
        ("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset", "string"),
        ("resourceVersionMatch", "resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset", "string"),
        ("sendInitialEvents", "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.", "boolean"),
        ("timeoutSeconds", "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.", "integer"),
        ("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.", "boolean"),
    ];

    private static readonly (string Name, string Description, string Type)[] DeleteParameters =
    [
        ("dryRun", WriteParameters[0].Description, "string"),
        ("gracePeriodSeconds", "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately.", "integer"),
        ("orphanDependents", "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned.", "boolean"),
        ("propagationPolicy", "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. Acceptable values are: 'Orphan', 'Background', 'Foreground'.", "string"),
    ];

    private void AddPaths(CrdVersion v)
    {
        var prefix = $"/apis/{v.Group}/{v.Version}";
        var collection = v.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{v.Plural}" : $"{prefix}/{v.Plural}";
        var scope = v.Namespaced ? "Namespaced" : "";
        var id = v.OperationPrefix;
        string[] pathParams = v.Namespaced ? ["namespace"] : [];

        Paths[collection] = PathItem([.. pathParams],
            ("get", Operation(v, "list", $"list{id}{scope}{v.Kind}", $"list or watch objects of kind {v.Kind}", ListParameters, v.ListDefinitionName, body: null, ok: ["200"])),
            ("post", Operation(v, "post", $"create{id}{scope}{v.Kind}", $"create a {v.Kind}", WriteParameters, v.DefinitionName, body: v.DefinitionName, ok: ["200", "201", "202"])),
            ("delete", Operation(v, "deletecollection", $"deletecollection{id}{scope}{v.Kind}", $"delete collection of {v.Kind}", [.. DeleteParameters, .. ListParameters], MetaSchemas.Status, body: MetaSchemas.DeleteOptions, ok: ["200"])));

        var item = collection + "/{name}";
        string[] itemParams = ["name", .. pathParams];
        Paths[item] = PathItem(itemParams,
            ("get", Operation(v, "get", $"read{id}{scope}{v.Kind}", $"read the specified {v.Kind}", [], v.DefinitionName, body: null, ok: ["200"])),
            ("put", Operation(v, "put", $"replace{id}{scope}{v.Kind}", $"replace the specified {v.Kind}", WriteParameters, v.DefinitionName, body: v.DefinitionName, ok: ["200", "201"])),
            ("patch", Operation(v, "patch", $"patch{id}{scope}{v.Kind}", $"partially update the specified {v.Kind}", [.. WriteParameters, Force], v.DefinitionName, body: MetaSchemas.Patch, ok: ["200", "201"])),
            ("delete", Operation(v, "delete", $"delete{id}{scope}{v.Kind}", $"delete a {v.Kind}", DeleteParameters, MetaSchemas.Status, body: MetaSchemas.DeleteOptions, ok: ["200", "202"])));

        if (v.HasStatus)
        {
            Paths[item + "/status"] = PathItem(itemParams,
                ("get", Operation(v, "get", $"read{id}{scope}{v.Kind}Status", $"read status of the specified {v.Kind}", [], v.DefinitionName, body: null, ok: ["200"])),
                ("put", Operation(v, "put", $"replace{id}{scope}{v.Kind}Status", $"replace status of the specified {v.Kind}", WriteParameters, v.DefinitionName, body: v.DefinitionName, ok: ["200", "201"])),
                ("patch", Operation(v, "patch", $"patch{id}{scope}{v.Kind}Status", $"partially update status of the specified {v.Kind}", [.. WriteParameters, Force], v.DefinitionName, body: MetaSchemas.Patch, ok: ["200", "201"])));
        }

        if (v.Namespaced)
        {
            Paths[$"{prefix}/{v.Plural}"] = PathItem([],
                ("get", Operation(v, "list", $"list{id}{v.Kind}ForAllNamespaces", $"list or watch objects of kind {v.Kind}", ListParameters, v.ListDefinitionName, body: null, ok: ["200"])));
        }
    }

    private JsonObject PathItem(string[] pathParameters, params (string Method, JsonObject Operation)[] operations)
    {
        var item = new JsonObject();
        foreach (var (method, operation) in operations)
        {
            item[method] = operation;
        }

        var parameters = new JsonArray();
        foreach (var name in pathParameters)
        {
            var description = name == "name" ? "name of the resource" : "object name and auth scope, such as for teams and projects";
            parameters.Add(Parameter(name, "path", description, "string", required: true));
        }

        parameters.Add(Parameter("pretty", "query", "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).", "string", required: false));
        item["parameters"] = parameters;
        return item;
    }

    private JsonObject Parameter(string name, string location, string description, string type, bool required)
    {
        var parameter = new JsonObject { ["name"] = name, ["in"] = location, ["description"] = description };
        if (required)
        {
            parameter["required"] = true;
        }

        if (v3)
        {
            parameter["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true };
        }
        else
        {
            parameter["type"] = type;
            parameter["uniqueItems"] = true;
        }

        return parameter;
    }

    private JsonObject Operation(CrdVersion v, string action, string operationId, string description, IEnumerable<(string Name, string Description, string Type)> query, string response, string? body, string[] ok)
    {
        var parameters = new JsonArray(query.Select(q => (JsonNode?)Parameter(q.Name, "query", q.Description, q.Type, required: false)).ToArray());
        string[] produces = action is "list" ? ["application/json", "application/yaml", "application/json;stream=watch"] : ["application/json", "application/yaml"];
        string[] consumes = action == "patch"
            ? ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
            : ["application/json", "application/yaml"];

        var responses = new JsonObject();
        foreach (var code in ok)
        {
            var text = code switch { "201" => "Created", "202" => "Accepted", _ => "OK" };
            responses[code] = v3
                ? new JsonObject { ["description"] = text, ["content"] = new JsonObject(produces.Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject { ["schema"] = Reference(response) }))) }
                : new JsonObject { ["description"] = text, ["schema"] = Reference(response) };
        }

        responses["401"] = new JsonObject { ["description"] = "Unauthorized" };

        var operation = new JsonObject
        {
            ["tags"] = new JsonArray(v.Tag),
            ["description"] = description,
            ["operationId"] = operationId,
        };
        if (!v3)
        {
            operation["consumes"] = new JsonArray(consumes.Select(c => (JsonNode?)c).ToArray());
            operation["produces"] = new JsonArray(produces.Select(c => (JsonNode?)c).ToArray());
            operation["schemes"] = new JsonArray("https");
        }

        if (body is not null)
        {
            if (v3)
            {
                operation["requestBody"] = new JsonObject
                {
                    ["content"] = new JsonObject(consumes.Select(c => KeyValuePair.Create(c, (JsonNode?)new JsonObject { ["schema"] = Reference(body) }))),
                    ["required"] = action != "delete" && action != "deletecollection",
                };
            }
            else
            {
                parameters.Insert(0, new JsonObject { ["name"] = "body", ["in"] = "body", ["required"] = action != "delete" && action != "deletecollection", ["schema"] = Reference(body) });
            }
        }

        operation["parameters"] = parameters;
        operation["responses"] = responses;
        operation["x-kubernetes-action"] = action;
        operation["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = v.Group, ["version"] = v.Version, ["kind"] = v.Kind };
        return operation;
    }
}
