using TunnelOperator.Agent.Config;

namespace TunnelOperator.Edge.Tests.Unit;

public sealed class ClientConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tunnelctl-config").FullName;

    [Fact]
    public void Save_ThenLoad_RoundTripsAndIsOwnerOnly()
    {
        var path = Path.Combine(_dir, "nested", "config.yml");
        new ClientConfig { Endpoint = "https://tnl.example.com:443", Token = "secret-token", CaCert = "/tmp/ca.crt" }.Save(path);
        var loaded = ClientConfig.Load(path)!;
        Assert.Equal("https://tnl.example.com:443", loaded.Endpoint);
        Assert.Equal("secret-token", loaded.Token);
        Assert.Equal("/tmp/ca.crt", loaded.CaCert);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Load_MissingFile_ReturnsNull() => Assert.Null(ClientConfig.Load(Path.Combine(_dir, "absent.yml")));

    [Fact]
    public void Load_InvalidYaml_SaysWhatToDo()
    {
        var path = Path.Combine(_dir, "bad.yml");
        File.WriteAllText(path, "endpoint: [unclosed");
        var error = Assert.Throws<InvalidDataException>(() => ClientConfig.Load(path));
        Assert.Contains("tunnelctl login", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
