using TunnelOperator.Store.Database;

namespace TunnelOperator.Store.Migrations;

/// <summary>One schema step, written once per dialect.</summary>
internal sealed record Migration(int Version, string Name, string SqliteSql, string PostgresSql)
{
    public string SqlFor(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? SqliteSql : PostgresSql;

    public override string ToString() => $"{Version:D4}_{Name}";
}
