using System.CommandLine;
using TunnelOperator.Protocol.Tenants;
using TunnelOperator.Store;

namespace Tunneld.Commands;

/// <summary>
/// Where an invite or tenant command acts: the store directly (<c>--data-dir</c> /
/// <c>--database-url</c>, on the hub host), or a hub API (<c>--hub-url</c> with
/// <c>--api-key</c>, from anywhere). With --hub-url and no --api-key, the key is read from
/// <c>&lt;data-dir&gt;/operator.key</c> when that file exists.
/// </summary>
internal sealed class HubTarget
{
    public StoreOptionsBinder Store { get; } = new();

    public Option<string?> HubUrl { get; } = EnvOption.String("--hub-url", "TUNNELD_HUB_URL", "Hub API URL (an edge's control endpoint, e.g. https://edge.example.com:7777); the store is used directly when absent");

    public Option<string?> ApiKey { get; } = EnvOption.String("--api-key", "TUNNELD_OPERATOR_KEY", "Operator API key (the hub's <data-dir>/operator.key)");

    public Option<string?> CaCert { get; } = EnvOption.String("--ca-cert", "TUNNELD_CA_CERT", "PEM CA to trust for --hub-url (a hub with a generated CA)");

    public void AddTo(Command command)
    {
        Store.AddTo(command);
        command.Options.Add(HubUrl);
        command.Options.Add(ApiKey);
        command.Options.Add(CaCert);
    }

    /// <summary>A hub client when --hub-url is given, else null (use the store); or a usage error.</summary>
    public (HubClient? Client, string? Error) Remote(ParseResult result)
    {
        var url = result.GetValue(HubUrl);
        if (string.IsNullOrWhiteSpace(url))
        {
            return (null, null);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return (null, $"--hub-url '{url}' must be an https:// URL");
        }

        var key = result.GetValue(ApiKey);
        if (string.IsNullOrWhiteSpace(key))
        {
            var path = TunnelOperator.Edge.Tenants.OperatorKey.PathIn(result.GetValue(Store.DataDir)!);
            key = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            return (null, "--hub-url needs --api-key (the contents of the hub's <data-dir>/operator.key)");
        }

        try
        {
            return (new HubClient(uri, key, result.GetValue(CaCert)), null);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            return (null, $"--ca-cert: {e.Message}");
        }
    }

    public static async Task<int> WithStoreAsync(StoreOptions options, Func<TunnelStore, Task<int>> action, CancellationToken ct)
    {
        TunnelStore store;
        try
        {
            store = await TunnelStore.OpenAsync(options, ct);
        }
        catch (Exception e) when (e is StoreUnavailableException or System.Data.Common.DbException or IOException or InvalidOperationException or ArgumentException)
        {
            return Fail($"cannot open the store ({e.Message}); check --data-dir / --database-url");
        }

        await using (store)
        {
            return await action(store);
        }
    }

    public static int Fail(string? message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
