using Core.Domain.Proofs;

namespace Indexer.Worker.Verification;

/// <summary>
/// Accumulates a merge of stored and rebuilt rows, both in ordinal workflow-id order: counts, both
/// projection hashes, and the first differences. Holds no rows, so its memory does not grow with them.
/// </summary>
internal sealed class ProjectionComparison : IDisposable
{
    private readonly ProjectionHash stored = new();
    private readonly ProjectionHash rebuilt = new();
    private readonly List<RowDifference> differences = [];
    private long equal;
    private long different;
    private long missing;
    private long extra;

    public string StoredHash => stored.Hex;

    public string RebuiltHash => rebuilt.Hex;

    public long RebuiltRows => rebuilt.Count;

    public RowCounts Counts => new(equal, different, missing, extra);

    public IReadOnlyList<RowDifference> FirstDifferences => differences;

    public void Both(ProjectionRow storedRow, ProjectionRow rebuiltRow)
    {
        stored.Append(storedRow);
        rebuilt.Append(rebuiltRow);
        var fields = ProjectionRowComparison.Compare(storedRow, rebuiltRow);
        if (fields.Count == 0)
        {
            equal++;
            return;
        }

        different++;
        Note(new RowDifference(rebuiltRow.WorkflowId, RowDifferenceKind.Different, fields));
    }

    public void StoredOnly(ProjectionRow storedRow)
    {
        stored.Append(storedRow);
        extra++;
        Note(new RowDifference(storedRow.WorkflowId, RowDifferenceKind.Extra, []));
    }

    public void RebuiltOnly(ProjectionRow rebuiltRow)
    {
        rebuilt.Append(rebuiltRow);
        missing++;
        Note(new RowDifference(rebuiltRow.WorkflowId, RowDifferenceKind.Missing, []));
    }

    public void Dispose()
    {
        stored.Dispose();
        rebuilt.Dispose();
    }

    private void Note(RowDifference difference)
    {
        if (differences.Count < VerificationResult.MaxDifferences)
        {
            differences.Add(difference);
        }
    }
}
