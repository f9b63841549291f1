using System.Text.Json.Serialization;

namespace TunnelOperator.Crds.Common;

/// <summary>Where a server keeps its state.</summary>
public enum StoreType
{
    /// <summary>An embedded SQLite file: one writer, so one replica.</summary>
    [JsonStringEnumMemberName("sqlite")]
    Sqlite,

    /// <summary>A shared PostgreSQL database: any number of replicas.</summary>
    [JsonStringEnumMemberName("postgres")]
    Postgres,
}
