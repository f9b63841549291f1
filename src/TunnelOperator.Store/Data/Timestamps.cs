namespace TunnelOperator.Store.Data;

/// <summary>UTC instants as the database keeps them.</summary>
internal static class Timestamps
{
    /// <summary>
    /// Now, cut to whole microseconds: PostgreSQL keeps microseconds, so a value returned to the
    /// caller equals the value read back later on either database.
    /// </summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }

    /// <summary>SQLite hands timestamps back with an unspecified kind; every stored one is UTC.</summary>
    public static DateTimeOffset ToOffset(DateTime stored) =>
        new(DateTime.SpecifyKind(stored, DateTimeKind.Utc), TimeSpan.Zero);
}
