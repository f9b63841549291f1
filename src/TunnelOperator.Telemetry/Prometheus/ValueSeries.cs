namespace TunnelOperator.Telemetry.Prometheus;

/// <summary>
/// A counter or gauge value. Integer measurements accumulate in a long so counts stay exact;
/// floating-point ones in a double. One instrument has one measurement type, so only one of
/// the two fields moves for a given series.
/// </summary>
internal sealed class ValueSeries
{
    private long _integral;
    private double _fractional;

    public void Add(long value) => Interlocked.Add(ref _integral, value);

    public void Add(double value)
    {
        var current = Volatile.Read(ref _fractional);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _fractional, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    public void Set(long value) => Interlocked.Exchange(ref _integral, value);

    public void Set(double value) => Interlocked.Exchange(ref _fractional, value);

    public SampleValue Read() => new(Volatile.Read(ref _integral), Volatile.Read(ref _fractional));
}

/// <summary>A rendered sample value, kept as its exact integer part plus a floating-point part.</summary>
internal readonly record struct SampleValue(long Integral, double Fractional)
{
    public SampleValue Plus(SampleValue other) => new(Integral + other.Integral, Fractional + other.Fractional);

    public void AppendTo(System.Text.StringBuilder text)
    {
        if (Fractional == 0)
        {
            text.Append(Integral.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            PrometheusText.AppendDouble(text, Integral + Fractional);
        }
    }
}
