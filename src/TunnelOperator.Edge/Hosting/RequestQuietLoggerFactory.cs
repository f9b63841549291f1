using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TunnelOperator.Edge.Hosting;

/// <summary>
/// The edge's logger factory as its web hosts see it, minus ASP.NET Core's hosting
/// diagnostics logger. While that logger is enabled at any level, hosting starts an Activity
/// and a log scope for every request, only to correlate its own request-started/finished
/// messages (Information, which the edge never shows); HttpClient then forwards that activity
/// to the origin as a traceparent header nobody asked for. Startup failures it would log are
/// thrown from <c>StartAsync</c> as well.
/// </summary>
internal sealed class RequestQuietLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == HostingDiagnostics ? NullLogger.Instance : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The inner factory belongs to the caller of EdgeServer.StartAsync.
    public void Dispose()
    {
    }
}
