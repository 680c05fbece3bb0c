using System.Globalization;
using System.Text;

namespace Query.Api.Workflows;

/// <summary>The filter parameters GET /workflows and GET /stats share, as bound from the query string (text, not yet validated).</summary>
public interface IWorkflowFilterQuery
{
    /// <summary>Repeatable: <c>status=failed&amp;status=rejected</c>.</summary>
    string[]? Status { get; }

    string? Initiator { get; }

    /// <summary>A settlement's <c>to</c>.</summary>
    string? Payee { get; }

    /// <summary>Unix seconds, inclusive, on <c>started_at</c>.</summary>
    string? StartedFrom { get; }

    /// <summary>Unix seconds, inclusive, on <c>started_at</c>.</summary>
    string? StartedTo { get; }
}

/// <summary>
/// Which workflows a list or a count covers, normalized: statuses lowercase, in a fixed order, without
/// repeats (null when every status is wanted, which is the same as no status filter); addresses
/// lowercase, as the worker stores them. Equal filters have equal <see cref="QueryString"/>, which keys
/// the answer cache and is carried into next links.
/// </summary>
public sealed class WorkflowFilter
{
    /// <summary>Every status, in the order they are listed in query strings.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["running", "completed", "failed", "rejected"];

    public WorkflowFilter(IReadOnlyList<string>? statuses, string? initiator, string? payee, long? startedFrom, long? startedTo)
    {
        StatusIn = statuses;
        Initiator = initiator;
        Payee = payee;
        StartedFrom = startedFrom;
        StartedTo = startedTo;
        QueryString = Describe();
    }

    /// <summary>The statuses wanted, or null for all.</summary>
    public IReadOnlyList<string>? StatusIn { get; }

    public string? Initiator { get; }

    public string? Payee { get; }

    public long? StartedFrom { get; }

    public long? StartedTo { get; }

    /// <summary>
    /// The filter as query parameters, each with a leading '&amp;' ("" without filters). Every value is a
    /// status name, lowercase hex or digits, so nothing needs escaping.
    /// </summary>
    public string QueryString { get; }

    /// <summary>Normalizes a query that its validator (<see cref="WorkflowFilterValidator{T}"/>) accepted.</summary>
    public static WorkflowFilter From(IWorkflowFilterQuery query)
    {
        var wanted = query.Status is { Length: > 0 } status
            ? Statuses.Where(known => status.Contains(known, StringComparer.OrdinalIgnoreCase)).ToList()
            : null;
        return new WorkflowFilter(
            wanted is null || wanted.Count == Statuses.Count ? null : wanted,
            query.Initiator?.ToLowerInvariant(),
            query.Payee?.ToLowerInvariant(),
            query.StartedFrom is null ? null : QueryValues.WholeNumber(query.StartedFrom),
            query.StartedTo is null ? null : QueryValues.WholeNumber(query.StartedTo));
    }

    public static bool IsStatus(string? text) => text is not null && Statuses.Contains(text, StringComparer.OrdinalIgnoreCase);

    private string Describe()
    {
        var query = new StringBuilder();
        foreach (var status in StatusIn ?? [])
        {
            query.Append("&status=").Append(status);
        }

        Append(query, "initiator", Initiator);
        Append(query, "payee", Payee);
        Append(query, "startedFrom", StartedFrom?.ToString(CultureInfo.InvariantCulture));
        Append(query, "startedTo", StartedTo?.ToString(CultureInfo.InvariantCulture));
        return query.ToString();
    }

    private static void Append(StringBuilder query, string name, string? value)
    {
        if (value is not null)
        {
            query.Append('&').Append(name).Append('=').Append(value);
        }
    }
}
