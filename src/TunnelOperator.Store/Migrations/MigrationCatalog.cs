using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TunnelOperator.Store.Migrations;

/// <summary>
/// The migrations this build knows, read from the embedded <c>Migrations/Sql/NNNN_name.{sqlite,postgres}.sql</c>
/// files. Versions must run 1, 2, 3… without gaps and every version needs both dialects; a
/// broken catalog is a build defect and fails loudly at the first open (and in the tests).
/// </summary>
internal static partial class MigrationCatalog
{
    private const string Prefix = "Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> Loaded = new(() => Build(ReadResources()));

    public static IReadOnlyList<Migration> All => Loaded.Value;

    /// <summary>Pairs up (resource name, SQL) entries into ordered migrations.</summary>
    internal static IReadOnlyList<Migration> Build(IEnumerable<(string Name, string Sql)> files)
    {
        var byVersion = new SortedDictionary<int, (string Name, string? Sqlite, string? Postgres)>();
        foreach (var (file, sql) in files)
        {
            var match = FileName().Match(file);
            if (!match.Success)
            {
                throw new InvalidOperationException($"migration file '{file}' is not named NNNN_name.sqlite.sql or NNNN_name.postgres.sql");
            }

            var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            var name = match.Groups["name"].Value;
            var entry = byVersion.GetValueOrDefault(version, (name, null, null));
            if (entry.Name != name)
            {
                throw new InvalidOperationException($"migration {version} has two names, '{entry.Name}' and '{name}'");
            }

            entry = match.Groups["dialect"].Value == "sqlite" ? entry with { Sqlite = sql } : entry with { Postgres = sql };
            byVersion[version] = entry;
        }

        var migrations = new List<Migration>();
        foreach (var (version, entry) in byVersion)
        {
            if (version != migrations.Count + 1)
            {
                throw new InvalidOperationException($"migration versions must run 1, 2, 3… without gaps; found {version} after {migrations.Count}");
            }

            if (entry.Sqlite is null || entry.Postgres is null)
            {
                throw new InvalidOperationException($"migration {version:D4}_{entry.Name} needs both a .sqlite.sql and a .postgres.sql file");
            }

            migrations.Add(new Migration(version, entry.Name, entry.Sqlite, entry.Postgres));
        }

        return migrations;
    }

    private static IEnumerable<(string Name, string Sql)> ReadResources()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            yield return (resource[Prefix.Length..], Read(assembly, resource));
        }
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded migration '{resource}' cannot be opened");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("^(?<version>[0-9]{4})_(?<name>[a-z0-9_]+)\\.(?<dialect>sqlite|postgres)\\.sql$")]
    private static partial Regex FileName();
}
