using Core.Domain.Proofs;
using Migrations.Copy;
using Npgsql;

namespace Migrations.Projection;

/// <summary>The one way projection rows are written: a binary COPY into workflow_state (or a table LIKE it).</summary>
public sealed class ProjectionCopy : IAsyncDisposable
{
    private readonly BinaryCopyWriter copy;

    private ProjectionCopy(BinaryCopyWriter copy) => this.copy = copy;

    /// <param name="table">workflow_state or a table made LIKE it; a name of the caller's own, never input.</param>
    public static async Task<ProjectionCopy> BeginAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        new(await BinaryCopyWriter.BeginAsync(connection, ProjectionTable.CopyInto(table), cancellationToken));

    // In the order of ProjectionRow.Columns, which the tests hold against the migrated table.
    public ValueTask WriteAsync(ProjectionRow row, CancellationToken cancellationToken)
    {
        copy.StartRow(ProjectionRow.Columns.Count);
        copy.Text(row.WorkflowId);
        copy.Text(row.Status);
        copy.Text(row.Phase);
        copy.Text(row.Initiator);
        copy.Int64(row.StartedAt);
        copy.Int64(row.CompletedAt);
        copy.Text(row.FailureReason);
        copy.Int64(row.FirstEvent.BlockNumber);
        copy.Int32(row.FirstEvent.TransactionIndex);
        copy.Int32(row.FirstEvent.LogIndex);
        copy.Int64(row.LastEvent.BlockNumber);
        copy.Int32(row.LastEvent.TransactionIndex);
        copy.Int32(row.LastEvent.LogIndex);
        copy.Int32(row.EventCount);
        copy.Numeric(row.SettledTotal);
        copy.Jsonb(row.Decisions);
        copy.Jsonb(row.Settlements);
        copy.Jsonb(row.Anomalies);
        return copy.EndRowAsync(cancellationToken);
    }

    /// <summary>Ends the COPY; the rows become visible with the caller's transaction.</summary>
    /// <exception cref="PostgresException">The database refused the rows.</exception>
    public Task CompleteAsync(CancellationToken cancellationToken) => copy.CompleteAsync(cancellationToken);

    /// <summary>Cancels the COPY unless it was completed, so nothing of it is stored.</summary>
    public ValueTask DisposeAsync() => copy.DisposeAsync();
}
