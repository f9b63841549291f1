using TunnelOperator.Controllers.Events;
using TunnelOperator.Controllers.Tests.Support;
using TunnelOperator.Kubernetes.Client;
using TunnelOperator.Kubernetes.Models.Core;

namespace TunnelOperator.Controllers.Tests.Events;

/// <summary>Events written through the real control plane, read back as kubectl describe reads them.</summary>
public sealed class EventRecorderTests(ControlPlaneFixture fixture) : IClassFixture<ControlPlaneFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RepeatedEvents_AreOneEventWithACount()
    {
        var ns = await fixture.NamespaceAsync();
        var map = await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("subject"), cancellationToken: Ct);
        var events = fixture.Client.Resource<Event>(ns);
        var before = await events.ListAsync(cancellationToken: Ct);
        await using var recorder = new EventRecorder(fixture.Client, new EventRecorderOptions { Component = "tunneloperator.io/test", Instance = "replica-1" });

        recorder.Normal(map, "Synced", "settings in place");
        recorder.Normal(map, "Synced", "settings in place");
        recorder.Warning(map, "EdgeNotFound", "edge 'a' does not exist");
        recorder.Normal(map, "Synced", "settings in place");
        await WatchUntilAsync(events, before.Metadata.ResourceVersion, e => e.Reason == "Synced" && e.Count == 3);
        var listed = (await events.ListAsync(cancellationToken: Ct)).Items;

        var synced = Assert.Single(listed, e => e.Reason == "Synced");
        var warning = Assert.Single(listed, e => e.Reason == "EdgeNotFound");
        Assert.Equal((3, "Normal"), (synced.Count, synced.Type));
        Assert.Equal((1, "Warning"), (warning.Count, warning.Type));
        Assert.Equal((map.Metadata.Uid, "ConfigMap", "v1", "subject"), (synced.InvolvedObject.Uid, synced.InvolvedObject.Kind, synced.InvolvedObject.ApiVersion, synced.InvolvedObject.Name));
        Assert.Equal(("tunneloperator.io/test", "replica-1", "tunneloperator.io/test"), (synced.ReportingComponent, synced.ReportingInstance, synced.Source!.Component));
        Assert.True(synced.FirstTimestamp <= synced.LastTimestamp);
        Assert.StartsWith("subject.", synced.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(0, recorder.Dropped);
    }

    [Fact]
    public async Task AFullQueue_DropsAndCounts_WithoutBlockingTheCaller()
    {
        var ns = await fixture.NamespaceAsync();
        var map = await fixture.Client.Resource<ConfigMap>(ns).CreateAsync(TestObjects.ConfigMap("busy"), cancellationToken: Ct);
        var client = new InterceptingClient(fixture.Client);
        client.Hold("create");
        await using var recorder = new EventRecorder(client, new EventRecorderOptions { Component = "tunneloperator.io/test", QueueCapacity = 1 });
        var writing = client.Verbs.WaitNextAsync(v => v == "create", "the writer at the API");

        recorder.Normal(map, "First", "taken by the writer");
        await writing;
        recorder.Normal(map, "Second", "waits in the queue");
        recorder.Normal(map, "Third", "dropped");
        recorder.Normal(map, "Fourth", "dropped");
        var dropped = recorder.Dropped;
        client.Release();
        await recorder.StopAsync(Ct);
        var reasons = (await fixture.Client.Resource<Event>(ns).ListAsync(cancellationToken: Ct)).Items.Select(e => e.Reason);

        Assert.Equal(2, dropped);
        Assert.Equal(2, recorder.Written);
        Assert.Equal(["First", "Second"], reasons.Order(StringComparer.Ordinal));
    }

    private static async Task WatchUntilAsync(IResourceClient<Event> events, string? resourceVersion, Func<Event, bool> done)
    {
        await foreach (var e in events.WatchAsync(new WatchOptions { ResourceVersion = resourceVersion, TimeoutSeconds = 30 }, Ct))
        {
            if (e.Object is { } value && done(value))
            {
                return;
            }
        }

        Assert.Fail("the watch ended before the event was seen");
    }
}
