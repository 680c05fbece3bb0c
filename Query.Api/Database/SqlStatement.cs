using Npgsql;

namespace Query.Api.Database;

/// <summary>
/// One statement composed from fixed SQL fragments, with its parameters: what an endpoint runs, and what
/// the query-plan tests EXPLAIN, so both see the very same text.
/// </summary>
public sealed record SqlStatement(string Text, IReadOnlyList<NpgsqlParameter> Parameters)
{
    public NpgsqlCommand CreateCommand(NpgsqlDataSource database)
    {
        var command = database.CreateCommand(Text);
        command.Parameters.AddRange(Parameters.ToArray());
        return command;
    }
}
