using System.Diagnostics.Metrics;

namespace TunnelOperator.Telemetry.Tests.Support;

/// <summary>
/// A meter with a name no other test uses, and an exporter subscribed to it. Listeners are
/// process-wide, so unique names keep parallel tests from seeing each other's instruments.
/// </summary>
internal sealed class ScrapedMeter : IDisposable
{
    public ScrapedMeter(int maxSeriesPerInstrument = PrometheusExporter.DefaultMaxSeriesPerInstrument)
    {
        Name = UniqueName();
        Meter = new Meter(Name);
        Exporter = new PrometheusExporter([Name], maxSeriesPerInstrument);
    }

    public string Name { get; }
    public Meter Meter { get; }
    public PrometheusExporter Exporter { get; }

    public static string UniqueName() => "Test." + Guid.NewGuid().ToString("N");

    /// <summary>Renders and reads back through the strict parser.</summary>
    public Dictionary<string, Family> Scrape() => Exposition.Parse(Exporter.Render());

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}
