using Core.Domain.Proofs;
using Indexer.Worker.Proofs;

namespace Indexer.Worker.Verification;

/// <summary>What verify found, comparing the stored projection with the one the log rebuilds, in one snapshot.</summary>
/// <param name="CoveredBlock">The checkpoint's last block in the snapshot.</param>
/// <param name="CoveredBlockHash">That block's hash.</param>
/// <param name="Events">Events in the log.</param>
/// <param name="Workflows">Workflows the log rebuilds.</param>
/// <param name="StoredProjectionHash">The projection hash of workflow_state as stored.</param>
/// <param name="RebuiltProjectionHash">The projection hash of the rows rebuilt from the log.</param>
/// <param name="EventLogHash">The event-log hash of the log in the snapshot.</param>
/// <param name="LatestProof">The worker's last stored proof, or null if none was stored yet.</param>
/// <param name="FirstDifferences">The first rows that differ, in workflow-id order.</param>
public sealed record VerificationResult(
    long? CoveredBlock,
    string? CoveredBlockHash,
    long Events,
    long Workflows,
    RowCounts Rows,
    string StoredProjectionHash,
    string RebuiltProjectionHash,
    string EventLogHash,
    StoredProof? LatestProof,
    IReadOnlyList<RowDifference> FirstDifferences,
    TimeSpan Elapsed)
{
    public const int MaxDifferences = 10;

    /// <summary>
    /// A stored proof of the same block (number and hash: a reorg can put another log under one
    /// number) and event count covers the same log, so its event-log hash must be this one; a proof
    /// of another block says nothing about this log.
    /// </summary>
    public bool? EventLogMatchesProof =>
        LatestProof is { } proof
        && proof.CoveredBlock == CoveredBlock && proof.CoveredBlockHash == CoveredBlockHash && proof.EventCount == Events
            ? proof.EventLogHash == EventLogHash
            : null;

    public bool Passed =>
        Rows.Different == 0 && Rows.Missing == 0 && Rows.Extra == 0
        && StoredProjectionHash == RebuiltProjectionHash
        && EventLogMatchesProof != false;
}

/// <param name="Equal">Stored rows identical to the rebuilt ones.</param>
/// <param name="Different">Stored rows that differ from the rebuilt ones in at least one column.</param>
/// <param name="Missing">Workflows the log rebuilds that have no stored row.</param>
/// <param name="Extra">Stored rows of workflows without a single event in the log.</param>
public sealed record RowCounts(long Equal, long Different, long Missing, long Extra);

public enum RowDifferenceKind
{
    Different,
    Missing,
    Extra,
}

/// <param name="Fields">The differing columns (for <see cref="RowDifferenceKind.Different"/>), else empty.</param>
public sealed record RowDifference(string WorkflowId, RowDifferenceKind Kind, IReadOnlyList<FieldDifference> Fields);
