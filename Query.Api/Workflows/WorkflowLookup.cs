using System.Collections.Concurrent;

namespace Query.Api.Workflows;

/// <summary>
/// Looks workflows up for GET /workflows/{id}, many to a statement under load. A lookup starts at once
/// while fewer than <see cref="MaxBatchesInFlight"/> statements are under way; otherwise it waits for the
/// next one, which reads every waiting id. Random ids at 64 connections on the 1M-event database (wrk, API
/// and PostgreSQL on 2 cores): a statement an id cost PostgreSQL ~150 µs and the API ~120 µs of CPU per
/// lookup; batched, ~40 µs and ~55–70 µs, as the plan, the round trip and the protocol are paid once a batch.
/// </summary>
public sealed class WorkflowLookup(WorkflowQueries queries, IHostApplicationLifetime lifetime)
{
    /// <summary>
    /// Statements under way at once. One: PostgreSQL works through one batch while the API answers the
    /// requests of the last; two (each on its own backend) gave that load a p99 of 14–23 ms against 8–9 ms.
    /// </summary>
    public const int MaxBatchesInFlight = 1;

    /// <summary>Ids read by one statement at most.</summary>
    public const int MaxBatchSize = 64;

    private readonly ConcurrentQueue<Lookup> _waiting = new();
    private int _batchesInFlight;

    /// <param name="workflowId">A normalized workflow id.</param>
    /// <param name="cancellationToken">Stops the wait, not the batch: the others in it still get their answers.</param>
    /// <returns>The workflow's answer as JSON (<see cref="WorkflowDetailJson"/>), or null when no such workflow was observed.</returns>
    public Task<byte[]?> FindAsync(string workflowId, CancellationToken cancellationToken)
    {
        var lookup = new Lookup(workflowId);
        _waiting.Enqueue(lookup);
        if (TryTakeBatchSlot())
        {
            _ = RunBatchesAsync();
        }

        return lookup.Answer.Task.WaitAsync(cancellationToken);
    }

    private async Task RunBatchesAsync()
    {
        do
        {
            while (TakeBatch() is { Count: > 0 } batch)
            {
                await LookUpAsync(batch);
            }

            Interlocked.Decrement(ref _batchesInFlight);
        }

        // A lookup queued after the last TakeBatch may have found every slot taken: it is this runner's to serve.
        while (!_waiting.IsEmpty && TryTakeBatchSlot());
    }

    private bool TryTakeBatchSlot()
    {
        var inFlight = Volatile.Read(ref _batchesInFlight);
        while (inFlight < MaxBatchesInFlight)
        {
            var seen = Interlocked.CompareExchange(ref _batchesInFlight, inFlight + 1, inFlight);
            if (seen == inFlight)
            {
                return true;
            }

            inFlight = seen;
        }

        return false;
    }

    private List<Lookup> TakeBatch()
    {
        var batch = new List<Lookup>();
        while (batch.Count < MaxBatchSize && _waiting.TryDequeue(out var lookup))
        {
            batch.Add(lookup);
        }

        return batch;
    }

    private async Task LookUpAsync(List<Lookup> batch)
    {
        try
        {
            // The batch serves every waiting request, so it runs until the server has stopped, not until one request gives up.
            var answers = await queries.FindAsync(batch.Select(lookup => lookup.WorkflowId).Distinct().ToArray(), lifetime.ApplicationStopped);
            foreach (var lookup in batch)
            {
                lookup.Answer.TrySetResult(answers.GetValueOrDefault(lookup.WorkflowId));
            }
        }
        catch (Exception failure)
        {
            // Each request fails as it would have alone: a database that is down answers every one of them 503.
            foreach (var lookup in batch)
            {
                lookup.Answer.TrySetException(failure);
            }
        }
    }

    private sealed record Lookup(string WorkflowId)
    {
        public TaskCompletionSource<byte[]?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
