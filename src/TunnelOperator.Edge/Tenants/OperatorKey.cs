using System.Security.Cryptography;

namespace TunnelOperator.Edge.Tenants;

/// <summary>
/// The hub's operator API key: 32 random bytes as hex in <c>&lt;data-dir&gt;/operator.key</c>,
/// created with mode 0600 on first start. It authenticates <c>tunneld invite|tenant</c> run
/// against a remote hub (<c>--hub-url</c> / <c>--api-key</c>).
/// </summary>
public static class OperatorKey
{
    public const string FileName = "operator.key";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    public static string LoadOrCreate(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        Directory.CreateDirectory(dataDirectory);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.Write(key + "\n");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}
