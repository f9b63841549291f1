using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace TunnelOperator.Agent.Config;

/// <summary>What <c>tunnelctl login</c> saves: <c>$HOME/.tunnelctl/config.yml</c>, mode 0600.</summary>
public sealed class ClientConfig
{
    public string? Endpoint { get; set; }
    public string? Token { get; set; }
    public string? CaCert { get; set; }

    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".tunnelctl", "config.yml");

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>Loads the file, or returns null when there is none.</summary>
    public static ClientConfig? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return Deserializer.Deserialize<ClientConfig>(File.ReadAllText(path)) ?? new ClientConfig();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{path} is not valid YAML ({e.Message}); fix it or run 'tunnelctl login' again", e);
        }
    }

    /// <summary>Writes the file so that only its owner can read it: it holds a bearer token.</summary>
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600, so the token is never readable by others, not even briefly.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Serializer.Serialize(this));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
