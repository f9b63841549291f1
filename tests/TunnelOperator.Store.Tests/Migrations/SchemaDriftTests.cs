using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using TunnelOperator.Store.Migrations;
using TunnelOperator.Store.Tests.Support;

namespace TunnelOperator.Store.Tests.Migrations;

/// <summary>
/// The hand-written migrations and the EF Core mapping describe one schema twice; these tests
/// read the schema the migrations actually produced from the database's own catalog and compare
/// it, fact by fact, with what EF's model expects on that database.
/// </summary>
public sealed class SchemaDriftTests(PostgresFixture postgres)
{
    [Theory]
    [BothBackends]
    public async Task MigratedSchema_MatchesTheEfModelExactly(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        var store = await db.OpenAsync();
        await using var context = store.CreateContext();

        var expected = FromModel(context.Model.GetRelationalModel());
        var actual = backend == Backend.Sqlite ? await FromSqliteAsync(db) : await FromPostgresAsync(db);

        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Theory]
    [BothBackends]
    public async Task MigratedSchema_HasTheProductsTablesAndUniqueRules(Backend backend)
    {
        await using var db = await StoreHarness.CreateAsync(backend, postgres);
        await db.OpenAsync();

        var facts = backend == Backend.Sqlite ? await FromSqliteAsync(db) : await FromPostgresAsync(db);

        Assert.Contains("index users.ux_users_email (email) unique", facts);
        Assert.Contains("index users.ux_users_slug (slug) unique", facts);
        Assert.Contains("index api_tokens.ux_api_tokens_token_hash (token_hash) unique", facts);
        Assert.Contains("index tunnels.ux_tunnels_subdomain (subdomain) unique", facts);
        Assert.Contains("index tunnels.ux_tunnels_user_id_name (user_id,name) unique", facts);
        Assert.Contains("foreign key api_tokens(user_id) -> users(id) on delete cascade", facts);
        Assert.Contains("foreign key tunnels(user_id) -> users(id) on delete cascade", facts);
        Assert.Contains(facts, f => f.StartsWith("column api_tokens.last_used_at ", StringComparison.Ordinal) && f.EndsWith(" null", StringComparison.Ordinal));
    }

    private static List<string> FromModel(IRelationalModel model)
    {
        var facts = new List<string>();
        foreach (var table in model.Tables)
        {
            facts.AddRange(table.Columns.Select(c => Column(table.Name, c.Name, c.StoreType, c.IsNullable)));
            facts.Add(PrimaryKey(table.Name, table.PrimaryKey!.Columns.Select(c => c.Name)));
            facts.AddRange(table.Indexes.Select(i => Index(table.Name, i.Name, i.Columns.Select(c => c.Name), i.IsUnique)));
            facts.AddRange(table.ForeignKeyConstraints.Select(f =>
                ForeignKey(table.Name, f.Columns.Select(c => c.Name), f.PrincipalTable.Name, f.PrincipalColumns.Select(c => c.Name), f.OnDeleteAction == ReferentialAction.Cascade)));
            Assert.DoesNotContain(table.UniqueConstraints, u => !u.GetIsPrimaryKey());
        }

        return facts;
    }

    private static async Task<List<string>> FromSqliteAsync(StoreHarness db)
    {
        var facts = new List<string>();
        var tables = await db.QueryAsync($"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '{Migrator.TableName}'");
        foreach (var table in tables.Select(t => (string)t[0]!))
        {
            var columns = await db.QueryAsync($"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')");
            facts.AddRange(columns.Select(c => Column(table, (string)c[0]!, (string)c[1]!, Long(c[2]) == 0)));
            facts.Add(PrimaryKey(table, columns.Where(c => Long(c[3]) > 0).OrderBy(c => Long(c[3])).Select(c => (string)c[0]!)));

            foreach (var index in await db.QueryAsync($"SELECT name, \"unique\" FROM pragma_index_list('{table}') WHERE origin <> 'pk'"))
            {
                var name = (string)index[0]!;
                var indexColumns = await db.QueryAsync($"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno");
                facts.Add(Index(table, name, indexColumns.Select(c => (string)c[0]!), Long(index[1]) == 1));
            }

            foreach (var fk in (await db.QueryAsync($"SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}') ORDER BY id, seq")).GroupBy(f => Long(f[0])))
            {
                var first = fk.First();
                facts.Add(ForeignKey(table, fk.Select(f => (string)f[2]!), (string)first[1]!, fk.Select(f => (string)f[3]!), (string)first[4]! == "CASCADE"));
            }
        }

        return facts;
    }

    private static async Task<List<string>> FromPostgresAsync(StoreHarness db)
    {
        var facts = new List<string>();
        var exclude = $"'{Migrator.TableName}'";
        foreach (var c in await db.QueryAsync(
            $"SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> {exclude}"))
        {
            facts.Add(Column((string)c[0]!, (string)c[1]!, (string)c[2]!, (string)c[3]! == "YES"));
        }

        const string columnsOf = "(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest({0}::int2[]) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = {1} AND a.attnum = k.attnum)";
        foreach (var i in await db.QueryAsync(
            $"""
            SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary, {string.Format(CultureInfo.InvariantCulture, columnsOf, "ix.indkey", "t.oid")}
            FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname <> {exclude}
            """))
        {
            var columns = ((string)i[4]!).Split(',');
            facts.Add((bool)i[3]! ? PrimaryKey((string)i[0]!, columns) : Index((string)i[0]!, (string)i[1]!, columns, (bool)i[2]!));
        }

        foreach (var f in await db.QueryAsync(
            $"""
            SELECT t.relname, {string.Format(CultureInfo.InvariantCulture, columnsOf, "c.conkey", "c.conrelid")}, p.relname, {string.Format(CultureInfo.InvariantCulture, columnsOf, "c.confkey", "c.confrelid")}, c.confdeltype::text
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE c.contype = 'f' AND n.nspname = 'public'
            """))
        {
            facts.Add(ForeignKey((string)f[0]!, ((string)f[1]!).Split(','), (string)f[2]!, ((string)f[3]!).Split(','), (string)f[4]! == "c"));
        }

        return facts;
    }

    private static string Column(string table, string column, string type, bool nullable) =>
        $"column {table}.{column} {type} {(nullable ? "null" : "not null")}";

    private static string PrimaryKey(string table, IEnumerable<string> columns) => $"primary key {table}({string.Join(',', columns)})";

    private static string Index(string table, string name, IEnumerable<string> columns, bool unique) =>
        $"index {table}.{name} ({string.Join(',', columns)}){(unique ? " unique" : string.Empty)}";

    private static string ForeignKey(string table, IEnumerable<string> columns, string principal, IEnumerable<string> principalColumns, bool cascade) =>
        $"foreign key {table}({string.Join(',', columns)}) -> {principal}({string.Join(',', principalColumns)}){(cascade ? " on delete cascade" : string.Empty)}";

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
