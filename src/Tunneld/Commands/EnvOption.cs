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
            DefaultValueFactory = _ =>
            {
                var value = Environment.GetEnvironmentVariable(variable);
                return string.IsNullOrEmpty(value) ? fallback : parse(value);
            },
        };
    }

    public static Option<string?> String(string name, string variable, string description, string? fallback = null) =>
        Create<string?>(name, variable, description, v => v, fallback);
}
