using System.Security.Cryptography;
using System.Text;

namespace TunnelOperator.ControlPlane.Auth;

/// <summary>
/// Static bearer tokens, in kube-apiserver's <c>--token-auth-file</c> format: CSV lines of
/// <c>token,user,uid,"group1,group2"</c>. Re-read when the file changes so a token can be added live.
/// </summary>
internal sealed class TokenFile
{
    private readonly string _path;
    private readonly object _lock = new();
    private DateTime _loadedWrite = DateTime.MinValue;
    private Dictionary<string, UserInfo> _tokens = new(StringComparer.Ordinal);

    public TokenFile(string path) => _path = path;

    public UserInfo? Lookup(string token)
    {
        lock (_lock)
        {
            var write = File.Exists(_path) ? File.GetLastWriteTimeUtc(_path) : DateTime.MinValue;
            if (write != _loadedWrite)
            {
                _tokens = write == DateTime.MinValue ? new(StringComparer.Ordinal) : Parse(File.ReadAllLines(_path));
                _loadedWrite = write;
            }

            // Compare in constant time so the lookup does not leak how much of a token matched.
            foreach (var (known, user) in _tokens)
            {
                if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(known), Encoding.UTF8.GetBytes(token)))
                {
                    return user;
                }
            }

            return null;
        }
    }

    internal static Dictionary<string, UserInfo> Parse(IEnumerable<string> lines)
    {
        var result = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = SplitCsv(line);
            if (fields.Count < 3 || fields[0].Length == 0 || fields[1].Length == 0)
            {
                continue;
            }

            var groups = fields.Count > 3 ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            result[fields[0]] = new UserInfo(fields[1], fields[2], groups);
        }

        return result;
    }

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
