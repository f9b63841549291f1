namespace TunnelOperator.Crds.Hives;

/// <summary>Condition types a <see cref="Hive"/> reports.</summary>
public static class HiveConditions
{
    /// <summary>The relay serves the hive.</summary>
    public const string Ready = "Ready";

    /// <summary>The edge publishes the relay (only when spec.expose is set).</summary>
    public const string Exposed = "Exposed";
}
