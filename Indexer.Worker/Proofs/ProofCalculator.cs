using System.Diagnostics;
using Core.Domain.Proofs;
using Indexer.Worker.EventLog;
using Indexer.Worker.Projection;
using Npgsql;

namespace Indexer.Worker.Proofs;

/// <summary>
/// Computes the event-log hash and the projection hash from one consistent snapshot, streaming both
/// tables: memory holds one event or one row at a time, whatever their size.
/// </summary>
public sealed class ProofCalculator(NpgsqlDataSource database)
{
    public async Task<DeterminismProof> ComputeAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var snapshot = await ConsistentSnapshot.OpenAsync(database, cancellationToken);
        var projection = await HashProjectionAsync(snapshot.Connection, cancellationToken);
        var log = await HashLogAsync(snapshot.Connection, cancellationToken);
        return new DeterminismProof(
            snapshot.CoveredBlock, snapshot.CoveredBlockHash, log.Count, log.Hash, projection.Count, projection.Hash, clock.Elapsed);
    }

    internal static async Task<Digest> HashLogAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        using var hash = new EventLogHash();
        await foreach (var @event in LogStream.ReadAsync(connection, LogStream.Canonical, cancellationToken))
        {
            hash.Append(@event);
        }

        return new Digest(hash.Count, hash.Hex);
    }

    private static async Task<Digest> HashProjectionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        using var hash = new ProjectionHash();
        await foreach (var row in ProjectionRowReader.ReadAsync(connection, cancellationToken))
        {
            hash.Append(row);
        }

        return new Digest(hash.Count, hash.Hex);
    }
}
