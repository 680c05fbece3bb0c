using Npgsql;

namespace TestSupport;

/// <summary>
/// A <c>postgresql://user:pass@host:port/db?key=value</c> URL, the form our programs take in DATABASE_URL.
/// Kept internal: the product's own parser lives in the Migrations project.
/// </summary>
internal sealed record PostgresUrl(string Username, string Password, string Host, int Port, string Database, string Query = "")
{
    private const int DefaultPort = 5432;

    public static PostgresUrl Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new FormatException("Expected a postgresql://user:password@host:port/database URL.");
        }

        var userInfo = uri.UserInfo.Split(':', 2);
        return new PostgresUrl(
            Uri.UnescapeDataString(userInfo[0]),
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "",
            uri.Host,
            uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            uri.Query.TrimStart('?'));
    }

    public override string ToString()
    {
        var query = Query.Length == 0 ? "" : "?" + Query;
        return $"postgresql://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{Uri.EscapeDataString(Database)}{query}";
    }

    /// <summary>Query parameters pass through as Npgsql keywords (e.g. <c>sslmode=disable</c>, <c>timeout=5</c>).</summary>
    public string ToConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = Username,
            Password = Password,
            Database = Database,
        };
        foreach (var pair in Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var keyValue = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(keyValue[0])] = keyValue.Length > 1 ? Uri.UnescapeDataString(keyValue[1]) : "";
        }

        return builder.ConnectionString;
    }
}
