using System.CommandLine;
using TunnelOperator.Store;

namespace Tunneld.Commands;

/// <summary><c>tunneld admin ...</c>: users and tokens, straight against the store.</summary>
internal static class AdminCommands
{
    public static Command Create()
    {
        var admin = new Command("admin", "Manage users and API tokens in the edge's store");
        admin.Subcommands.Add(CreateUser());
        admin.Subcommands.Add(IssueToken());
        admin.Subcommands.Add(RevokeToken());
        admin.Subcommands.Add(ListUsers());
        admin.Subcommands.Add(ListTokens());
        return admin;
    }

    private static Command CreateUser()
    {
        var store = new StoreOptionsBinder();
        var email = new Option<string>("--email") { Description = "The user's email address", Required = true };
        var command = new Command("create-user", "Create a user; its slug is derived from the email's local part");
        command.Options.Add(email);
        store.AddTo(command);
        command.SetAction((result, ct) => WithStore(store.Bind(result), async s =>
        {
            var created = await s.CreateUserAsync(result.GetValue(email)!, ct);
            if (!created.Ok)
            {
                return Fail(created.Message);
            }

            Console.WriteLine($"created user {created.Value!.Email} (slug {created.Value.Slug}, id {created.Value.Id})");
            return 0;
        }, ct));
        return command;
    }

    private static Command IssueToken()
    {
        var store = new StoreOptionsBinder();
        var email = new Option<string>("--email") { Description = "The user the token belongs to", Required = true };
        var name = new Option<string>("--name") { Description = "A label for the token, e.g. the device it is for", Required = true };
        var command = new Command("issue-token", "Issue an API token; the plaintext is printed once, on the last line");
        command.Options.Add(email);
        command.Options.Add(name);
        store.AddTo(command);
        command.SetAction((result, ct) => WithStore(store.Bind(result), async s =>
        {
            var issued = await s.IssueTokenAsync(result.GetValue(email)!, result.GetValue(name)!, ct);
            if (!issued.Ok)
            {
                return Fail(issued.Message);
            }

            Console.WriteLine($"issued token {issued.Value!.Id} '{issued.Value.Name}' for {issued.Value.User.Email}; it is shown only now:");
            Console.WriteLine(issued.Value.Plaintext);
            return 0;
        }, ct));
        return command;
    }

    private static Command RevokeToken()
    {
        var store = new StoreOptionsBinder();
        var id = new Option<Guid>("--id") { Description = "The token id (from list-tokens)", Required = true };
        var command = new Command("revoke-token", "Revoke a token: new connections with it fail and its live sessions are closed");
        command.Options.Add(id);
        store.AddTo(command);
        command.SetAction((result, ct) => WithStore(store.Bind(result), async s =>
        {
            var tokenId = result.GetValue(id);
            if (!await s.RevokeTokenAsync(tokenId, ct))
            {
                return Fail($"no token with id {tokenId}; see 'tunneld admin list-tokens'");
            }

            Console.WriteLine($"revoked token {tokenId}");
            return 0;
        }, ct));
        return command;
    }

    private static Command ListUsers()
    {
        var store = new StoreOptionsBinder();
        var command = new Command("list-users", "List users");
        store.AddTo(command);
        command.SetAction((result, ct) => WithStore(store.Bind(result), async s =>
        {
            var users = await s.ListUsersAsync(ct);
            Console.WriteLine($"{"ID",-36}  {"EMAIL",-32}  {"SLUG",-24}  CREATED");
            foreach (var u in users)
            {
                Console.WriteLine($"{u.Id,-36}  {u.Email,-32}  {u.Slug,-24}  {u.CreatedAt:u}");
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command ListTokens()
    {
        var store = new StoreOptionsBinder();
        var command = new Command("list-tokens", "List tokens (never their plaintext)");
        store.AddTo(command);
        command.SetAction((result, ct) => WithStore(store.Bind(result), async s =>
        {
            var tokens = await s.ListTokensAsync(ct);
            Console.WriteLine($"{"ID",-36}  {"USER",-32}  {"NAME",-20}  {"CREATED",-20}  LAST USED");
            foreach (var t in tokens)
            {
                Console.WriteLine($"{t.Id,-36}  {t.UserEmail,-32}  {t.Name,-20}  {t.CreatedAt,-20:u}  {(t.LastUsedAt is { } used ? used.ToString("u") : "never")}");
            }

            return 0;
        }, ct));
        return command;
    }

    private static async Task<int> WithStore(StoreOptions options, Func<TunnelStore, Task<int>> action, CancellationToken ct)
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

    private static int Fail(string? message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }
}
