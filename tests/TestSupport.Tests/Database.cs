using Npgsql;

namespace TestSupport.Tests;

/// <summary>Small query helpers for these tests.</summary>
internal static class Database
{
    public static async Task<T> ScalarAsync<T>(string databaseUrl, string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresUrl.Parse(databaseUrl).ToConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(string databaseUrl, string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresUrl.Parse(databaseUrl).ToConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
