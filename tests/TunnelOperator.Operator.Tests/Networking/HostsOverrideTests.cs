using System.Net;
using System.Net.Sockets;
using TunnelOperator.Protocol.Networking;

namespace TunnelOperator.Operator.Tests.Networking;

public sealed class HostsOverrideTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "hosts-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Parse_ReadsHostsFiveFormat()
    {
        var entries = HostsOverride.Parse(
            "# Services of the local control plane\n" +
            "127.96.0.2 web.shop.svc.cluster.local web.shop.svc web.shop\n" +
            "127.96.0.3\tedge.shop.svc.cluster.local   # trailing comment\r\n" +
            "not-an-ip ignored.example\n" +
            "127.96.0.4\n" +
            "127.96.0.5 Web.Shop.Svc.Cluster.Local.\n");

        Assert.Equal([IPAddress.Parse("127.96.0.2"), IPAddress.Parse("127.96.0.5")], entries["web.shop.svc.cluster.local"]);
        Assert.Equal([IPAddress.Parse("127.96.0.2")], entries["WEB.SHOP"]);
        Assert.Equal([IPAddress.Parse("127.96.0.3")], entries["edge.shop.svc.cluster.local"]);
        Assert.False(entries.ContainsKey("ignored.example"));
    }

    [Fact]
    public async Task Resolve_ListedNamesComeFromTheFileWhichIsReadAgainWhenItChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        File.WriteAllText(_path, "127.96.0.7 edge.shop.svc.cluster.local\n");
        var hosts = new HostsOverride(_path);

        Assert.Equal([IPAddress.Parse("127.96.0.7")], await hosts.ResolveAsync("edge.shop.svc.cluster.local", ct));

        var replacement = _path + ".tmp";
        File.WriteAllText(replacement, "127.96.0.8 edge.shop.svc.cluster.local\n127.96.0.9 web.shop.svc.cluster.local\n");
        File.Move(replacement, _path, overwrite: true);
        Assert.Equal([IPAddress.Parse("127.96.0.8")], await hosts.ResolveAsync("edge.shop.svc.cluster.local", ct));
        Assert.Equal([IPAddress.Parse("127.96.0.9")], await hosts.ResolveAsync("web.shop.svc.cluster.local.", ct));

        File.Delete(_path);
        Assert.Null(hosts.Lookup("edge.shop.svc.cluster.local"));
    }

    [Fact]
    public async Task Resolve_LiteralsAndUnlistedNamesBypassTheFile()
    {
        var ct = TestContext.Current.CancellationToken;
        File.WriteAllText(_path, "127.96.0.7 localhost-not-really\n");
        var hosts = new HostsOverride(_path);

        Assert.Equal([IPAddress.Parse("10.1.2.3")], await hosts.ResolveAsync("10.1.2.3", ct));
        Assert.Equal([IPAddress.IPv6Loopback], await hosts.ResolveAsync("[::1]", ct));
        Assert.Contains(await hosts.ResolveAsync("localhost", ct), IPAddress.IsLoopback);
        Assert.Null(new HostsOverride(null).Lookup("anything"));
    }

    [Fact]
    public async Task ConnectStream_DialsTheListedAddress()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        File.WriteAllText(_path, "127.0.0.1 admin.edge.svc.cluster.local\n");
        var hosts = new HostsOverride(_path);

        var accepted = listener.AcceptTcpClientAsync(ct);
        await using var stream = await hosts.ConnectStreamAsync("admin.edge.svc.cluster.local", ((IPEndPoint)listener.LocalEndpoint).Port, ct);
        using var server = await accepted;

        Assert.True(server.Connected);
    }

    public void Dispose() => File.Delete(_path);
}
