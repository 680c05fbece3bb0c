using Npgsql;

namespace ServiceDefaults.Configuration;

/// <summary>
/// Reads DATABASE_URL in the seed's <c>postgresql://user:pass@host:port/database</c> form
/// (also <c>postgres://</c>; query parameters are Npgsql keywords such as <c>sslmode=require</c>).
/// Error messages never repeat the password. GSS encryption is off unless a parameter turns it on
/// (<c>GssEncryptionMode=Prefer</c>): Npgsql's default, prefer, loads the Kerberos libraries and looks for
/// credentials before every first connection, which took 9-18 ms of the worker's start here, for a
/// deployment that authenticates by password.
/// </summary>
public static class DatabaseUrl
{
    public const int DefaultPort = 5432;

    /// <exception cref="InvalidDatabaseUrlException">The value is not a usable PostgreSQL URL.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidDatabaseUrlException("is missing");
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new InvalidDatabaseUrlException("must look like postgresql://user:pass@host:port/database");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (string.IsNullOrEmpty(uri.Host) || string.IsNullOrEmpty(database))
        {
            throw new InvalidDatabaseUrlException("must name a host and a database (postgresql://user:pass@host:port/database)");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Database = database,
            GssEncryptionMode = GssEncryptionMode.Disable,
        };

        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var (key, parameter) in QueryParameters(uri.Query))
        {
            try
            {
                builder[key] = parameter;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new InvalidDatabaseUrlException($"has an unsupported parameter '{key}'");
            }
        }

        return builder;
    }

    private static IEnumerable<(string Key, string Value)> QueryParameters(string query) =>
        query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : string.Empty));
}

public sealed class InvalidDatabaseUrlException(string problem) : ConfigurationException($"DATABASE_URL {problem}.");
