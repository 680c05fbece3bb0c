namespace Core.Domain.Proofs;

/// <param name="Column">The workflow_state column.</param>
/// <param name="Stored">The stored value, rendered: JSON-quoted text, plain numbers, or <c>null</c>.</param>
/// <param name="Rebuilt">The value replay derives from the log, rendered the same way.</param>
public sealed record FieldDifference(string Column, string Stored, string Rebuilt);

/// <summary>Names the columns in which a stored row differs from the one the log rebuilds.</summary>
public static class ProjectionRowComparison
{
    public static IReadOnlyList<FieldDifference> Compare(ProjectionRow stored, ProjectionRow rebuilt) =>
    [
        .. ProjectionRow.Columns
            .Select(column => new FieldDifference(column.Name, column.Render(stored), column.Render(rebuilt)))
            .Where(field => field.Stored != field.Rebuilt),
    ];
}
