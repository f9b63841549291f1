using System.Runtime.CompilerServices;
using TunnelOperator.Kubernetes.Models;
using TunnelOperator.Kubernetes.Watch;

namespace TunnelOperator.Kubernetes.Client;

/// <summary>
/// Watch: a GET on the collection with <c>watch=true</c> whose body streams events until the
/// server ends it (its <c>timeoutSeconds</c>, a restart, a 410). The enumeration simply ends then;
/// callers (informers) resume from the last <see cref="WatchEvent{T}.ResourceVersion"/> and relist
/// on <see cref="Errors.ResourceVersionExpiredException"/>.
/// </summary>
internal sealed partial class ResourceClientCore<TObject, TList>
{
    public async IAsyncEnumerable<WatchEvent<TObject>> WatchAsync(WatchOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options ??= new WatchOptions();
        var query = new QueryString()
            .Add("watch", true)
            .Add("resourceVersion", options.ResourceVersion)
            .Add("resourceVersionMatch", options.ResourceVersionMatch)
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks)
            .Add("sendInitialEvents", options.SendInitialEvents)
            .Add("timeoutSeconds", options.TimeoutSeconds)
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector);
        var call = Call(HttpMethod.Get, "watch", Namespace, null, CollectionPath(Namespace) + query);

        // No call timeout for a watch, but a server-side one plus grace on the client: a proxy that
        // keeps a dead stream open must not hang an informer forever.
        using var deadline = options.TimeoutSeconds is int seconds
            ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds) + _transport.Options.WatchTimeoutGrace, _transport.Time)
            : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline?.Token ?? CancellationToken.None);
        bool DeadlinePassed() => deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested;

        HttpResponseMessage response;
        try
        {
            response = await _transport.OpenStreamAsync(call, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (DeadlinePassed())
        {
            yield break;
        }

        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using var reader = new WatchStreamReader<TObject>(stream, _codec.Decode, _transport.Options.MaxEventBytes, call.Operation);
            Log.WatchOpened(_transport.Logger, call.Operation, options.ResourceVersion);
            var events = 0;
            var why = "the server ended the stream";
            while (true)
            {
                WatchEvent<TObject>? next;
                try
                {
                    next = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (DeadlinePassed())
                {
                    why = "no end from the server within timeoutSeconds plus grace";
                    next = null;
                }

                if (next is null)
                {
                    break;
                }

                events++;
                yield return next;
            }

            Log.WatchClosed(_transport.Logger, call.Operation, events, why);
        }
    }
}
