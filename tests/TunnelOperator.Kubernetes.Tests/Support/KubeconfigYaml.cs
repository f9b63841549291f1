using System.Text;

namespace TunnelOperator.Kubernetes.Tests.Support;

/// <summary>Writes kubeconfig YAML as kubectl does (block style, lists of named entries).</summary>
internal sealed class KubeconfigYaml
{
    private readonly List<string> _clusters = [];
    private readonly List<string> _users = [];
    private readonly List<string> _contexts = [];
    private string? _currentContext;

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public KubeconfigYaml Cluster(string name, params (string Key, object Value)[] fields) => Add(_clusters, name, "cluster", fields);

    public KubeconfigYaml User(string name, params (string Key, object Value)[] fields) => Add(_users, name, "user", fields);

    public KubeconfigYaml Context(string name, string cluster, string? user = null, string? ns = null)
    {
        var fields = new List<(string, object)> { ("cluster", cluster) };
        if (user is not null)
        {
            fields.Add(("user", user));
        }

        if (ns is not null)
        {
            fields.Add(("namespace", ns));
        }

        return Add(_contexts, name, "context", [.. fields]);
    }

    public KubeconfigYaml CurrentContext(string name)
    {
        _currentContext = name;
        return this;
    }

    /// <summary>A client-certificate user with its PEM material inline.</summary>
    public KubeconfigYaml CertificateUser(string name, ClientIdentity identity) =>
        User(name, ("client-certificate-data", Base64(identity.CertificatePem)), ("client-key-data", Base64(identity.KeyPem)));

    public string Build()
    {
        var text = new StringBuilder("apiVersion: v1\nkind: Config\npreferences: {}\n");
        if (_currentContext is not null)
        {
            text.Append("current-context: ").Append(_currentContext).Append('\n');
        }

        Section(text, "clusters", _clusters);
        Section(text, "users", _users);
        Section(text, "contexts", _contexts);
        return text.ToString();
    }

    public override string ToString() => Build();

    private static void Section(StringBuilder text, string name, List<string> entries)
    {
        if (entries.Count > 0)
        {
            text.Append(name).Append(":\n");
            entries.ForEach(e => text.Append(e));
        }
    }

    private KubeconfigYaml Add(List<string> list, string name, string inner, (string Key, object Value)[] fields)
    {
        var entry = new StringBuilder();
        entry.Append("- name: ").Append(name).Append('\n');
        entry.Append("  ").Append(inner).Append(":\n");
        foreach (var (key, value) in fields)
        {
            var rendered = value is bool b ? (b ? "true" : "false") : $"\"{value.ToString()!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
            entry.Append("    ").Append(key).Append(": ").Append(rendered).Append('\n');
        }

        list.Add(entry.ToString());
        return this;
    }
}
