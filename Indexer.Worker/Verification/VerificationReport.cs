using System.Globalization;

namespace Indexer.Worker.Verification;

/// <summary>The summary verify prints: one fact per line, the first differences last.</summary>
internal static class VerificationReport
{
    public static void Write(VerificationResult result, TextWriter output)
    {
        var rows = result.Rows;
        var block = result.CoveredBlock?.ToString(CultureInfo.InvariantCulture) ?? "none";
        output.WriteLine(FormattableString.Invariant(
            $"verify: snapshot at checkpoint block {block}: {result.Events} events, {result.Workflows} workflows rebuilt in memory ({result.Elapsed.TotalSeconds:F2} s)"));
        output.WriteLine(FormattableString.Invariant(
            $"rows: {rows.Equal} equal, {rows.Different} different, {rows.Missing} missing, {rows.Extra} extra"));
        output.WriteLine($"projection hash: stored {result.StoredProjectionHash}, rebuilt {result.RebuiltProjectionHash} ({Verdict(result.StoredProjectionHash == result.RebuiltProjectionHash)})");
        output.WriteLine($"event log hash: {result.EventLogHash} ({ProofComparison(result)})");
        if (result.FirstDifferences.Count > 0)
        {
            output.WriteLine($"first differences (at most {VerificationResult.MaxDifferences}):");
            foreach (var difference in result.FirstDifferences)
            {
                output.WriteLine($"  {difference.WorkflowId}: {Describe(difference)}");
            }
        }

        output.WriteLine(result.Passed ? "verify: OK" : "verify: MISMATCH");
    }

    private static string Describe(RowDifference difference) => difference.Kind switch
    {
        RowDifferenceKind.Different => string.Join(
            "; ", difference.Fields.Select(field => $"{field.Column} stored {field.Stored}, rebuilt {field.Rebuilt}")),
        RowDifferenceKind.Missing => "missing: the log rebuilds this workflow, workflow_state has no row for it",
        RowDifferenceKind.Extra => "extra: workflow_state has a row for it, the log has no event of it",
        _ => throw new ArgumentOutOfRangeException(nameof(difference), difference.Kind, "Unknown difference."),
    };

    private static string ProofComparison(VerificationResult result) => (result.LatestProof, result.EventLogMatchesProof) switch
    {
        (null, _) => "no stored proof yet",
        (_, true) => "equal to the stored proof of the same block",
        (_, false) => $"DIFFERENT from the stored proof of the same block, {result.LatestProof.EventLogHash}",
        (var proof, null) => FormattableString.Invariant(
            $"the stored proof covers another log: block {proof.CoveredBlock?.ToString(CultureInfo.InvariantCulture) ?? "none"} ({proof.CoveredBlockHash ?? "no hash"}), {proof.EventCount} events"),
    };

    private static string Verdict(bool equal) => equal ? "equal" : "DIFFERENT";
}
