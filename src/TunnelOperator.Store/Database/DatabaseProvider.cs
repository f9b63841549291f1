namespace TunnelOperator.Store.Database;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
