using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TunnelOperator.Kubernetes.Config;

/// <summary>
/// Reads the kubeconfig format (clientcmd/api/v1 Config) from YAML. It walks the YAML tree rather
/// than binding to classes so that every error can name the field it is about. Unknown fields are
/// ignored, as kubectl does. File paths are made absolute against the file's own directory
/// (clientcmd <c>ResolveLocalPaths</c>): a merged KUBECONFIG list keeps each file's meaning.
/// </summary>
internal static class KubeconfigParser
{
    public static KubeconfigFile Parse(string path, string text)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? "/";
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KubeconfigException(path, null, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new KubeconfigFile(path, null, [], [], []); // an empty file is an empty config, as in kubectl
        }

        var reader = new Reader(path, directory);
        var root = reader.Mapping(stream.Documents[0].RootNode, "(root)");
        return new KubeconfigFile(
            path,
            NullIfEmpty(reader.String(root, "current-context", "current-context")),
            reader.Entries(root, "clusters", "cluster", reader.Cluster),
            reader.Entries(root, "users", "user", reader.User),
            reader.Entries(root, "contexts", "context", reader.Context));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed class Reader(string path, string directory)
    {
        public IReadOnlyList<T> Entries<T>(YamlMappingNode root, string listKey, string innerKey, Func<string, string, YamlMappingNode?, T> read)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var node) || IsNull(node))
            {
                return [];
            }

            if (node is not YamlSequenceNode sequence)
            {
                throw Error(listKey, "expected a list");
            }

            var entries = new List<T>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var entry = Mapping(sequence.Children[i], $"{listKey}[{i}]");
                var name = String(entry, "name", $"{listKey}[{i}].name");
                if (string.IsNullOrEmpty(name))
                {
                    throw Error($"{listKey}[{i}].name", "required");
                }

                var field = $"{listKey}[name={name}].{innerKey}";
                entry.Children.TryGetValue(new YamlScalarNode(innerKey), out var inner);
                var body = inner is null || IsNull(inner) ? null : Mapping(inner, field);

                // The first definition of a name wins, within a file as across files.
                if (names.Add(name))
                {
                    entries.Add(read(name, field, body));
                }
            }

            return entries;
        }

        public KubeconfigCluster Cluster(string name, string field, YamlMappingNode? body) => body is null
            ? new KubeconfigCluster(path, name)
            : new KubeconfigCluster(path, name)
            {
                Server = String(body, "server", field),
                CertificateAuthority = FilePath(body, "certificate-authority", field),
                CertificateAuthorityData = String(body, "certificate-authority-data", field),
                InsecureSkipTlsVerify = Bool(body, "insecure-skip-tls-verify", field),
                TlsServerName = String(body, "tls-server-name", field),
                ProxyUrl = String(body, "proxy-url", field),
            };

        public KubeconfigUser User(string name, string field, YamlMappingNode? body) => body is null
            ? new KubeconfigUser(path, name)
            : new KubeconfigUser(path, name)
            {
                ClientCertificate = FilePath(body, "client-certificate", field),
                ClientCertificateData = String(body, "client-certificate-data", field),
                ClientKey = FilePath(body, "client-key", field),
                ClientKeyData = String(body, "client-key-data", field),
                Token = String(body, "token", field),
                TokenFile = FilePath(body, "tokenFile", field),
                HasBasicAuth = Present(body, "username") || Present(body, "password"),
                HasExec = Present(body, "exec"),
                HasAuthProvider = Present(body, "auth-provider"),
            };

        public KubeconfigContext Context(string name, string field, YamlMappingNode? body) => body is null
            ? new KubeconfigContext(path, name)
            : new KubeconfigContext(path, name)
            {
                Cluster = String(body, "cluster", field),
                User = String(body, "user", field),
                Namespace = String(body, "namespace", field),
            };

        public YamlMappingNode Mapping(YamlNode node, string field) =>
            node as YamlMappingNode ?? throw Error(field, $"expected a mapping (line {node.Start.Line})");

        public string? String(YamlMappingNode mapping, string key, string field)
        {
            if (!mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
            {
                return null;
            }

            var name = field.EndsWith("." + key, StringComparison.Ordinal) || field == key ? field : $"{field}.{key}";
            return node is YamlScalarNode scalar ? scalar.Value : throw Error(name, $"expected a string (line {node.Start.Line})");
        }

        private string? FilePath(YamlMappingNode mapping, string key, string field)
        {
            var value = String(mapping, key, field);
            return string.IsNullOrEmpty(value) ? null : System.IO.Path.GetFullPath(value, directory);
        }

        private bool Bool(YamlMappingNode mapping, string key, string field) =>
            String(mapping, key, field)?.ToLowerInvariant() switch
            {
                null or "" or "false" or "no" or "off" => false,
                "true" or "yes" or "on" => true,
                _ => throw Error($"{field}.{key}", "expected true or false"),
            };

        private static bool Present(YamlMappingNode mapping, string key) =>
            mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && !IsNull(node);

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted), Value: null or "" or "~" or "null" };

        private KubeconfigException Error(string field, string problem) => new(path, field, problem);
    }
}
