using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Query.Api.Workflows;

/// <summary>
/// The WHERE clause of a statement over workflow_state for a <see cref="WorkflowFilter"/>: one fixed
/// fragment per filter present, ANDed. Each combination of filters is thus its own statement, prepared
/// and planned on its own; a catch-all "($n IS NULL OR …)" would leave PostgreSQL's generic plans
/// unable to use the indexes. Parameters $1..$5 are always the filter's (null when absent, typed so an
/// unused one is still accepted); statements add theirs from $6 on.
/// </summary>
public static class WorkflowFilterSql
{
    public const int ParameterCount = 5;

    private const string StatusIn = "status = ANY($1)";
    private const string InitiatorIs = "initiator = $2";

    // A containment test on the jsonb settlements the worker already stores: served by the GIN index
    // workflow_state_settlements (jsonb_path_ops, migration 0008) without another projection column.
    private const string SettlesTo = "settlements @> $3";
    private const string StartedFrom = "started_at >= $4";
    private const string StartedTo = "started_at <= $5";

    /// <summary>The conditions of <paramref name="filter"/>, to AND with a statement's own.</summary>
    public static List<string> Conditions(WorkflowFilter filter)
    {
        var conditions = new List<string>(ParameterCount);
        AddIf(conditions, filter.StatusIn is not null, StatusIn);
        AddIf(conditions, filter.Initiator is not null, InitiatorIs);
        AddIf(conditions, filter.Payee is not null, SettlesTo);
        AddIf(conditions, filter.StartedFrom is not null, StartedFrom);
        AddIf(conditions, filter.StartedTo is not null, StartedTo);
        return conditions;
    }

    /// <returns>"WHERE a AND b", or "" without conditions.</returns>
    public static string Where(IReadOnlyCollection<string> conditions) =>
        conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);

    /// <summary>$1..$5, in order.</summary>
    public static void AddParameters(ICollection<NpgsqlParameter> parameters, WorkflowFilter filter)
    {
        parameters.Add(Typed(NpgsqlDbType.Array | NpgsqlDbType.Text, filter.StatusIn?.ToArray()));
        parameters.Add(Typed(NpgsqlDbType.Text, filter.Initiator));
        parameters.Add(Typed(NpgsqlDbType.Jsonb, filter.Payee is null ? null : JsonSerializer.Serialize<SettlementTo[]>([new(filter.Payee)])));
        parameters.Add(Typed(NpgsqlDbType.Bigint, filter.StartedFrom));
        parameters.Add(Typed(NpgsqlDbType.Bigint, filter.StartedTo));
    }

    public static NpgsqlParameter Typed(NpgsqlDbType type, object? value) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    private static void AddIf(List<string> conditions, bool present, string condition)
    {
        if (present)
        {
            conditions.Add(condition);
        }
    }

    /// <summary>The part of a stored settlement (<c>{"from","to","amount","timestamp"}</c>) the payee filter matches.</summary>
    private sealed record SettlementTo([property: JsonPropertyName("to")] string To);
}
