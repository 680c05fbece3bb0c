namespace Migrations.Configuration;

/// <summary>
/// Loads KEY=VALUE lines from a <c>.env</c> file into the process environment. Variables
/// already set in the environment win, so a deployment's real environment is never overridden.
/// </summary>
public static class DotEnvFile
{
    public static void LoadIfPresent(string path = ".env")
    {
        if (!File.Exists(path))
        {
            return;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (TryParse(line, out var key, out var value) && Environment.GetEnvironmentVariable(key) is null)
            {
                Environment.SetEnvironmentVariable(key, value);
            }
        }
    }

    internal static bool TryParse(string line, out string key, out string value)
    {
        key = value = string.Empty;
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed.StartsWith('#'))
        {
            return false;
        }

        if (trimmed.StartsWith("export ", StringComparison.Ordinal))
        {
            trimmed = trimmed["export ".Length..].TrimStart();
        }

        var separator = trimmed.IndexOf('=');
        if (separator <= 0)
        {
            return false;
        }

        key = trimmed[..separator].Trim();
        value = Unquote(trimmed[(separator + 1)..].Trim());
        return true;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0]
            ? value[1..^1]
            : value;
}
