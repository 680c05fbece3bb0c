using ServiceDefaults.Configuration;
using Npgsql;

namespace Migrations.Tests.Support;

/// <summary>Small catalog queries for these tests, over a plain (admin) connection.</summary>
internal static class Database
{
    public static async Task<T> ScalarAsync<T>(string databaseUrl, string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(databaseUrl).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(string databaseUrl, string sql)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(databaseUrl).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task<bool> TableExistsAsync(string databaseUrl, string table) =>
        ScalarAsync<bool>(databaseUrl, $"SELECT to_regclass('public.{table}') IS NOT NULL");

    public static async Task<IReadOnlyList<string>> PublicTablesAsync(string databaseUrl)
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl.Parse(databaseUrl).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>A fresh empty database on the run's shared server.</summary>
    public static async Task<string> CreateEmptyAsync() => await (await TestSupport.SharedPostgres.GetAsync()).CreateDatabaseAsync();
}
