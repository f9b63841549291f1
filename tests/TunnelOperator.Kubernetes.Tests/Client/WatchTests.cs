using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Errors;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Models.Core;
using TunnelOperator.Kubernetes.Tests.Support;

namespace TunnelOperator.Kubernetes.Tests.Client;

/// <summary>Watch streams from the stand-in server: events as the test sends them, errors, cancellation.</summary>
public sealed class WatchTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private FakeApiServer _server = null!;
    private KubernetesClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _client = TestClients.Create(_server, _directory);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    private static JsonObject Map(string name, string rv, string value = "v") => new()
    {
        ["kind"] = "ConfigMap",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "tunnels", ["resourceVersion"] = rv },
        ["data"] = new JsonObject { ["key"] = value },
    };

    private static JsonObject Bookmark(string rv, bool initialEventsEnd = false) => new()
    {
        ["kind"] = "ConfigMap",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = rv,
            ["creationTimestamp"] = null,
            ["annotations"] = initialEventsEnd ? new JsonObject { ["k8s.io/initial-events-end"] = "true" } : null,
        },
    };

    private static JsonObject ExpiredStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = "too old resource version: 100 (48000)",
        ["reason"] = "Expired",
        ["code"] = 410,
    };

    [Fact]
    public async Task Watch_YieldsEventsAsTheyArrive_ThenEndsWithTheStream()
    {
        var script = _server.ExpectWatch();
        var watch = _client.Resource<ConfigMap>("tunnels")
            .WatchAsync(new WatchOptions { ResourceVersion = "100", TimeoutSeconds = 300, LabelSelector = "app=edge", FieldSelector = "metadata.name=a" }, Ct)
            .GetAsyncEnumerator(Ct);

        var first = watch.MoveNextAsync();
        var request = await script.Opened.Task.WaitAsync(Ct);
        Assert.False(first.IsCompleted); // nothing sent yet: the client waits on the open stream
        await script.SendAsync("ADDED", Map("a", "101"));
        Assert.True(await first);
        Assert.Equal((WatchEventType.Added, "a", "101"), (watch.Current.Type, watch.Current.Object!.Metadata.Name, watch.Current.ResourceVersion));

        await script.SendAsync("MODIFIED", Map("a", "102", "changed"));
        await script.SendAsync("BOOKMARK", Bookmark("150"));
        await script.SendAsync("DELETED", Map("a", "151", "changed"));
        script.End();
        var rest = new List<WatchEvent<ConfigMap>>();
        while (await watch.MoveNextAsync())
        {
            rest.Add(watch.Current);
        }

        Assert.Equal([WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted], rest.Select(e => e.Type));
        Assert.Equal("changed", rest[0].Object!.Data!["key"]);
        Assert.Null(rest[1].Object);
        Assert.Equal("150", rest[1].ResourceVersion);
        Assert.Equal("151", rest[2].ResourceVersion);
        Assert.Equal("/api/v1/namespaces/tunnels/configmaps", request.Path);
        Assert.Equal(("true", "100", "true", "300"), (request["watch"], request["resourceVersion"], request["allowWatchBookmarks"], request["timeoutSeconds"]));
        Assert.Equal(("app=edge", "metadata.name=a"), (request["labelSelector"], request["fieldSelector"]));
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_StreamingList_MarksTheBookmarkThatEndsInitialEvents()
    {
        var script = _server.ExpectWatch();
        await script.SendAsync("ADDED", Map("a", "101"));
        await script.SendAsync("BOOKMARK", Bookmark("101", initialEventsEnd: true));
        script.End();

        var events = await _client.Resource<ConfigMap>().WatchAsync(new WatchOptions { SendInitialEvents = true, ResourceVersionMatch = "NotOlderThan" }, Ct).ToListAsync(Ct);

        Assert.False(events[0].IsInitialEventsEnd);
        Assert.True(events[1].IsInitialEventsEnd);
        var request = await script.Opened.Task;
        Assert.Equal(("/api/v1/configmaps", "true", "NotOlderThan"), (request.Path, request["sendInitialEvents"], request["resourceVersionMatch"]));
    }

    [Fact]
    public async Task Watch_ErrorEventWith410_IsResourceVersionExpired_AfterTheEventsBeforeIt()
    {
        var script = _server.ExpectWatch();
        await script.SendAsync("ADDED", Map("a", "101"));
        await script.SendAsync("ERROR", ExpiredStatus());
        var seen = new List<WatchEvent<ConfigMap>>();

        var error = await Assert.ThrowsAsync<ResourceVersionExpiredException>(async () =>
        {
            await foreach (var e in _client.Resource<ConfigMap>("tunnels").WatchAsync(new WatchOptions { ResourceVersion = "100" }, Ct))
            {
                seen.Add(e);
            }
        });

        Assert.Single(seen);
        Assert.True(error.IsGone);
        Assert.Equal(StatusReasons.Expired, error.Reason);
        Assert.Contains("too old resource version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Refused410OnOpen_IsResourceVersionExpired()
    {
        _server.ExpectWatch(new WatchScript { Refusal = (410, ExpiredStatus()) });

        await Assert.ThrowsAsync<ResourceVersionExpiredException>(async () => await _client.Resource<ConfigMap>("tunnels").WatchAsync(new WatchOptions { ResourceVersion = "1" }, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task Watch_OtherErrorEvent_IsAnApiExceptionButNotExpiry()
    {
        var script = _server.ExpectWatch();
        await script.SendAsync("ERROR", new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = "etcd is unhappy", ["reason"] = "InternalError", ["code"] = 500 });

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () => await _client.Resource<ConfigMap>("tunnels").WatchAsync(cancellationToken: Ct).ToListAsync(Ct));

        Assert.IsNotType<ResourceVersionExpiredException>(error);
        Assert.Equal(500, error.Code);
    }

    [Fact]
    public async Task Watch_Cancelled_WhileTheServerIsSilent_EndsAndHangsUp()
    {
        var script = _server.ExpectWatch();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var consuming = Task.Run(async () => await _client.Resource<ConfigMap>("tunnels").WatchAsync(cancellationToken: cancel.Token).ToListAsync(cancel.Token), Ct);

        await script.Opened.Task.WaitAsync(Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
        await script.Aborted.Task.WaitAsync(Ct); // the server saw the stream closed
    }

    [Fact]
    public async Task Watch_ServerNeverEnding_IsEndedByTheClientAfterTimeoutSecondsAndGrace()
    {
        var clock = TestClients.Clock();
        using var client = TestClients.Create(_server, _directory, options: new KubernetesClientOptions { TimeProvider = clock, WatchTimeoutGrace = TimeSpan.FromSeconds(30) });
        var script = _server.ExpectWatch();
        var watch = client.Resource<ConfigMap>("tunnels").WatchAsync(new WatchOptions { TimeoutSeconds = 60 }, Ct).GetAsyncEnumerator(Ct);
        var first = watch.MoveNextAsync();
        await script.Opened.Task.WaitAsync(Ct);
        await script.SendAsync("ADDED", Map("a", "101"));
        Assert.True(await first);

        var next = watch.MoveNextAsync();
        clock.Advance(TimeSpan.FromSeconds(89));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await next); // ends like a server close, no exception
        await script.Aborted.Task.WaitAsync(Ct);
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_OverHttp11_ReadsTheChunkedStream()
    {
        await using var server = await FakeApiServer.StartAsync(new FakeApiServerOptions { Protocols = HttpProtocols.Http1 });
        using var client = TestClients.Create(server, _directory);
        var script = server.ExpectWatch();
        // Two events in one write, one split across writes: framing must not depend on chunk boundaries.
        var a = new JsonObject { ["type"] = "ADDED", ["object"] = Map("a", "101") }.ToJsonString();
        var b = new JsonObject { ["type"] = "ADDED", ["object"] = Map("b", "102") }.ToJsonString();
        var c = new JsonObject { ["type"] = "MODIFIED", ["object"] = Map("b", "103") }.ToJsonString();
        await script.SendRawAsync(a + "\n" + b + "\n");
        await script.SendRawAsync(c[..10]);
        await script.SendRawAsync(c[10..] + "\n");
        script.End();

        var events = await client.Resource<ConfigMap>("tunnels").WatchAsync(cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(["101", "102", "103"], events.Select(e => e.ResourceVersion));
        Assert.Equal("HTTP/1.1", (await script.Opened.Task).Protocol);
    }
}
