using TunnelOperator.Store.Migrations;

namespace TunnelOperator.Store.Tests.Migrations;

public sealed class MigrationCatalogTests
{
    [Fact]
    public void All_RunsFromOneWithoutGapsAndHasSqlForBothDatabases()
    {
        var all = MigrationCatalog.All;

        Assert.NotEmpty(all);
        Assert.Equal(Enumerable.Range(1, all.Count), all.Select(m => m.Version));
        Assert.All(all, m => Assert.False(string.IsNullOrWhiteSpace(m.SqliteSql) || string.IsNullOrWhiteSpace(m.PostgresSql), $"{m} lacks SQL"));
        Assert.Equal("initial", all[0].Name);
    }

    [Fact]
    public void Build_PairsFilesByVersionInOrder()
    {
        var built = MigrationCatalog.Build([
            ("0002_b.postgres.sql", "p2"), ("0001_a.sqlite.sql", "s1"), ("0002_b.sqlite.sql", "s2"), ("0001_a.postgres.sql", "p1")]);

        Assert.Equal([new Migration(1, "a", "s1", "p1"), new Migration(2, "b", "s2", "p2")], built);
    }

    [Theory]
    [InlineData("without gaps", "0001_a.sqlite.sql", "0001_a.postgres.sql", "0003_c.sqlite.sql", "0003_c.postgres.sql")]
    [InlineData("needs both", "0001_a.sqlite.sql")]
    [InlineData("two names", "0001_a.sqlite.sql", "0001_b.postgres.sql")]
    [InlineData("is not named", "1_a.sqlite.sql")]
    [InlineData("is not named", "0001_a.mysql.sql")]
    public void Build_BrokenCatalog_FailsLoudly(string expected, params string[] files)
    {
        var e = Assert.Throws<InvalidOperationException>(() => MigrationCatalog.Build(files.Select(f => (f, "SELECT 1"))));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
