namespace TunnelOperator.ControlPlane.Tables;

public static partial class TableBuilder
{
    /// <summary>
    /// k8s.io/apimachinery/pkg/util/duration.HumanDuration, the age kubectl and the apiserver print: exact
    /// seconds below 2 minutes, minutes and seconds below 10 minutes, minutes below 3 hours, hours and minutes
    /// below 8 hours, hours below 2 days, days and hours below 8 days, days below 2 years, years and days below
    /// 8 years, then years. Up to a second in the future counts as "0s" (clock skew); further is "&lt;invalid&gt;".
    /// </summary>
    public static string HumanDuration(TimeSpan age)
    {
        // Go converts with truncation toward zero (int(d.Seconds()), int(d / time.Minute)).
        var seconds = (long)age.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        var minutes = age.Ticks / TimeSpan.TicksPerMinute;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = age.Ticks / TimeSpan.TicksPerHour;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
