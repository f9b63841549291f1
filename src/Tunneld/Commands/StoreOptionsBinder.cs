using System.CommandLine;
using TunnelOperator.Store;

namespace Tunneld.Commands;

/// <summary>The --data-dir and --database-url flags that every store-touching command shares.</summary>
internal sealed class StoreOptionsBinder
{
    public Option<string> DataDir { get; } = EnvOption.Create("--data-dir", "TUNNELD_DATA_DIR",
        "Directory for the SQLite database, generated CA and admin token", v => v, "data");

    public Option<string?> DatabaseUrl { get; } = EnvOption.String("--database-url", "TUNNELD_DATABASE_URL",
        "PostgreSQL URL (postgres://user:pass@host:5432/db); SQLite in the data directory when absent");

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(DatabaseUrl);
    }

    public StoreOptions Bind(ParseResult result) => new()
    {
        DataDirectory = result.GetValue(DataDir)!,
        DatabaseUrl = result.GetValue(DatabaseUrl),
    };
}
