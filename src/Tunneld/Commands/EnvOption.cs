using System.CommandLine;

namespace Tunneld.Commands;

/// <summary>Options whose default comes from an environment variable (flag wins over variable).</summary>
internal static class EnvOption
{
    public static Option<T> Create<T>(string name, string variable, string description, Func<string, T> parse, T fallback)
    {
        return new Option<T>(name)
        {
            Description = $"{description} [env: {variable}]",
            DefaultValueFactory = result =>
            {
                var value = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(value))
                {
                    return fallback;
                }

                try
                {
                    return parse(value);
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                {
                    result.AddError($"{variable}='{value}' is not a valid value for {name}: {e.Message} Fix or unset the variable, or pass {name}.");
                    return fallback;
                }
            },
        };
    }

    public static Option<string?> String(string name, string variable, string description, string? fallback = null) =>
        Create<string?>(name, variable, description, v => v, fallback);
}
