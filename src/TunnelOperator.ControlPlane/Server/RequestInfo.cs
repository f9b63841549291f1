namespace TunnelOperator.ControlPlane.Server;

/// <summary>
/// A resource request's coordinates, parsed from the URL as kube-apiserver's RequestInfoFactory does:
/// <c>/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}</c>, <c>/apis/{group}/{version}/...</c>,
/// and the deprecated <c>/api/v1/watch/...</c> form.
/// </summary>
internal sealed record RequestInfo
{
    public required string Verb { get; init; }

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Resource { get; init; }

    public string Namespace { get; init; } = "";

    public string Name { get; init; } = "";

    public string Subresource { get; init; } = "";

    /// <summary>Parses a resource path; null for anything else (discovery, health, unknown).</summary>
    public static RequestInfo? Parse(string method, string path, bool watchQuery)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.None);
        int index;
        string group;
        string version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            group = "";
            version = parts[1];
            index = 2;
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            group = parts[1];
            version = parts[2];
            index = 3;
        }
        else
        {
            return null;
        }

        var rest = parts[index..];
        if (rest.Any(p => p.Length == 0))
        {
            return null;
        }

        var watchPath = false;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            watchPath = true;
            rest = rest[1..];
        }

        if (rest.Length == 0)
        {
            return null;
        }

        var ns = "";
        if (rest[0] == "namespaces" && rest.Length >= 2)
        {
            ns = rest[1];
            // /namespaces/{name} and /namespaces/{name}/{status|finalize} address the namespace itself.
            rest = rest.Length == 2 || (rest.Length == 3 && rest[2] is "status" or "finalize")
                ? ["namespaces", .. rest[1..]]
                : rest[2..];
            if (rest[0] == "namespaces")
            {
                ns = "";
            }
        }

        if (rest.Length > 3)
        {
            return null;
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : "";
        var sub = rest.Length > 2 ? rest[2] : "";
        var verb = method switch
        {
            "GET" or "HEAD" when watchPath || watchQuery => "watch",
            "GET" or "HEAD" => name.Length == 0 ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name.Length == 0 ? "deletecollection" : "delete",
            _ => "",
        };

        return new RequestInfo { Verb = verb, Group = group, Version = version, Resource = resource, Namespace = ns, Name = name, Subresource = sub };
    }
}
