using TunnelOperator.Testing;

[assembly: AssemblyFixture(typeof(TunnelOperator.Store.Tests.Support.PostgresFixture))]

namespace TunnelOperator.Store.Tests.Support;

/// <summary>
/// One PostgreSQL server for the whole test assembly (each test gets a fresh database on it).
/// Started on first use so that SQLite-only tests do not wait for it. Without PostgreSQL
/// installed the PostgreSQL cases fail with the package to install (`make test` installs it):
/// a run must never pass by not testing.
/// </summary>
public class PostgresFixture : IAsyncLifetime
{
    private readonly Lazy<Task<PostgresServer>> _server = new(() => PostgresServer.StartAsync(CancellationToken.None));

    public Task<PostgresServer> ServerAsync() => _server.Value;

    /// <summary>A new empty database; returns its URL.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var server = await ServerAsync();
        return await server.CreateDatabaseAsync($"t_{Guid.NewGuid():N}", TestContext.Current.CancellationToken);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_server.IsValueCreated && _server.Value.IsCompletedSuccessfully)
        {
            await (await _server.Value).DisposeAsync();
        }
    }
}

/// <summary>A server of its own, for a test class that stops and restarts it.</summary>
public sealed class PrivatePostgresFixture : PostgresFixture;
