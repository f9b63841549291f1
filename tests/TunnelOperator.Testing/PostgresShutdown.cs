namespace TunnelOperator.Testing;

/// <summary>How <see cref="PostgresServer.StopAsync"/> stops the server (pg_ctl's -m).</summary>
public enum PostgresShutdown
{
    /// <summary>Disconnects clients, rolls back open transactions, checkpoints: a clean stop.</summary>
    Fast,

    /// <summary>Kills the server without a checkpoint, as a crash would; the restart replays the WAL.</summary>
    Immediate,
}
