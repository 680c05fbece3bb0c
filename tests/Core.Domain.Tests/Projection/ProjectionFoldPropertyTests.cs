using System.Globalization;
using Core.Domain.Events;
using Core.Domain.Projection;
using Core.Domain.Workflows;
using FsCheck;
using FsCheck.Fluent;

namespace Core.Domain.Tests;

/// <summary>The determinism promise, over generated multi-workflow streams (see <see cref="EventStreams"/>).</summary>
public class ProjectionFoldPropertyTests
{
    private const int Runs = 200;

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property Fold_OfPrefixThenRestFromIt_EqualsFoldOfWholeStream() => Prop.ForAll(
        Arb.From(EventStreams.Planned.SelectMany(stream => Gen.Choose(0, stream.Events.Length).Select(split => (stream, split)))),
        input =>
        {
            var (stream, split) = input;
            var prefix = ProjectionFold.Fold(stream.Events.Take(split));
            var resumed = ProjectionFold.Fold(stream.Events.Skip(split), from: prefix);
            return SameProjection(resumed, ProjectionFold.Fold(stream.Events)).Label($"split at {split}");
        });

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property Fold_RangeAfterRangeEachFromThePrevious_EqualsFoldOfWholeStream() => Prop.ForAll(
        Arb.From(
            from stream in EventStreams.Planned
            from cuts in Gen.ArrayOf(Gen.Choose(0, stream.Events.Length))
            select (stream, cuts: cuts.Append(stream.Events.Length).Distinct().Order().ToArray())),
        input =>
        {
            // What live ingestion does: each committed range continues from the states stored so far.
            var (stream, cuts) = input;
            var states = ProjectionFold.Fold([]);
            var from = 0;
            foreach (var cut in cuts)
            {
                states = ProjectionFold.Fold(stream.Events.Skip(from).Take(cut - from), from: states);
                from = cut;
            }

            return SameProjection(states, ProjectionFold.Fold(stream.Events)).Label($"ranges ending at {string.Join(",", cuts)}");
        });

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property Fold_OfAnyInterleavingAcrossWorkflows_EqualsFoldingEachWorkflowWhole() => Prop.ForAll(
        Arb.From(
            from stream in EventStreams.Planned
            from owners in Gen.Shuffle(stream.Events.Select(e => e.WorkflowId))
            select (stream, interleaved: Interleave(stream.Events, owners))),
        input =>
        {
            var (stream, interleaved) = input;
            var folded = ProjectionFold.Fold(interleaved);
            var eachWhole = stream.Events
                .GroupBy(e => e.WorkflowId, StringComparer.Ordinal)
                .ToDictionary(own => own.Key, own => Scenarios.Replay(own), StringComparer.Ordinal);
            return (folded.Keys.Order(StringComparer.Ordinal).SequenceEqual(eachWhole.Keys.Order(StringComparer.Ordinal))
                    && folded.All(pair => pair.Value.Equals(eachWhole[pair.Key])))
                .Label($"interleaved as {string.Join(",", interleaved.Select(e => e.WorkflowId[^2..]))}");
        });

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property FoldGrouped_OfTheLogGroupedByWorkflow_EqualsFoldOfTheLogInCanonicalOrder() => Prop.ForAll(
        Arb.From(
            from stream in EventStreams.Planned
            from repeats in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 2))), stream.Events.Length)
            select (stream, repeats)),
        input =>
        {
            // What replay and verify do: the log read grouped by workflow, with the duplicates a redelivery could add.
            var (stream, repeats) = input;
            var grouped = stream.Events
                .SelectMany((e, i) => Enumerable.Repeat(e, repeats[i] + 1))
                .OrderBy(e => e.WorkflowId, StringComparer.Ordinal)
                .ThenBy(e => e.Position)
                .ToAsyncEnumerable();
            var streamed = ProjectionFold.FoldGroupedAsync(grouped, CancellationToken.None).ToListAsync().AsTask().Result;
            var whole = ProjectionFold.Fold(stream.Events);
            return (streamed.Select(s => s.WorkflowId).SequenceEqual(whole.Keys, StringComparer.Ordinal)
                    && streamed.SequenceEqual(whole.Values))
                .Label($"repeats {string.Join(",", repeats)}");
        });

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property Fold_WithEventsRepeatedRightAfterThemselves_EqualsFoldWithoutRepeats() => Prop.ForAll(
        Arb.From(
            from stream in EventStreams.Planned
            from repeats in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 3))), stream.Events.Length)
            select (stream, repeats)),
        input =>
        {
            var (stream, repeats) = input;
            var withRepeats = stream.Events.SelectMany((e, i) => Enumerable.Repeat(0, repeats[i] + 1).Select(_ => e with { }));
            return SameProjection(ProjectionFold.Fold(withRepeats), ProjectionFold.Fold(stream.Events))
                .Label($"repeats {string.Join(",", repeats)}");
        });

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property Fold_ReplayedTwice_GivesEqualStatesAndIdenticalJson() => Prop.ForAll(
        Arb.From(EventStreams.Planned),
        stream =>
        {
            var first = ProjectionFold.Fold(stream.Events);
            var second = ProjectionFold.Fold(stream.Events.Select(e => e with { }).ToList());
            return SameProjection(first, second).Label("states")
                .And(string.Equals(Rows(first), Rows(second), StringComparison.Ordinal).Label("serialized rows"));
        });

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property Fold_OfGeneratedStream_EndsEachWorkflowAsPlanned() => Prop.ForAll(
        Arb.From(EventStreams.Planned),
        stream =>
        {
            var states = ProjectionFold.Fold(stream.Events);
            var plannedCounts = CountByStatus(stream.Workflows.Select(w => w.Phase.ToStatus()));
            var actualCounts = CountByStatus(states.Values.Select(s => s.Status));
            var mismatches = stream.Workflows
                .Where(w => !states.TryGetValue(w.Id, out var s)
                    || s.Phase != w.Phase
                    || s.SettledTotal != w.SettledTotal
                    || !s.Anomalies.Select(a => a.Kind).SequenceEqual(w.Anomalies))
                .Select(w => w.Id[^4..])
                .ToList();
            return (mismatches.Count == 0).Label($"workflows not as planned: {string.Join(",", mismatches)}")
                .And((plannedCounts == actualCounts).Label($"status counts planned {plannedCounts}, folded {actualCounts}"))
                .And((states.Count == stream.Workflows.Length).Label("workflow count"));
        });

    [FsCheck.NUnit.Property(MaxTest = Runs)]
    public Property Generator_Positions_AreStrictlyIncreasingAndRejectionsShareTheirTransaction() => Prop.ForAll(
        Arb.From(EventStreams.Planned),
        stream =>
        {
            var events = stream.Events;
            var increasing = events.Zip(events.Skip(1)).All(pair => pair.First.Position < pair.Second.Position);
            var pairedRejections = stream.Workflows.Where(w => w.Phase == WorkflowPhase.Rejected).All(w =>
            {
                var own = events.Where(e => e.WorkflowId == w.Id).ToList();
                var rejection = own.FindIndex(e => e is DecisionRecorded { Approved: false });
                return rejection >= 0 && rejection + 1 < own.Count && own[rejection + 1] is WorkflowFailed
                    && own[rejection].Position.IsSameTransactionAs(own[rejection + 1].Position);
            });
            return increasing.Label("strictly increasing").And(pairedRejections.Label("rejection pairs share a transaction"));
        });

    /// <summary>The events in the order of <paramref name="owners"/>: each workflow's next event in its own order.</summary>
    private static List<WorkflowEvent> Interleave(IReadOnlyList<WorkflowEvent> events, IEnumerable<string> owners)
    {
        var queues = events.GroupBy(e => e.WorkflowId, StringComparer.Ordinal)
            .ToDictionary(own => own.Key, own => new Queue<WorkflowEvent>(own), StringComparer.Ordinal);
        return owners.Select(owner => queues[owner].Dequeue()).ToList();
    }

    private static bool SameProjection(SortedDictionary<string, WorkflowState> left, SortedDictionary<string, WorkflowState> right) =>
        left.Keys.SequenceEqual(right.Keys, StringComparer.Ordinal) && left.Values.SequenceEqual(right.Values);

    private static string CountByStatus(IEnumerable<WorkflowStatus> statuses) =>
        string.Join(",", Enum.GetValues<WorkflowStatus>().Select(status => $"{status.ToName()}={statuses.Count(s => s == status)}"));

    /// <summary>The projection as the worker would store it: scalar columns plus the JSON list columns.</summary>
    private static string Rows(SortedDictionary<string, WorkflowState> states) => string.Join('\n', states.Values.Select(s =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{s.WorkflowId}|{s.Phase.ToName()}|{s.Status.ToName()}|{s.Initiator}|{s.StartedAt}|{s.CompletedAt}|{s.FailureReason}|{s.FirstEvent}|{s.LastEvent}|{s.EventCount}|{s.SettledTotal}|")
        + WorkflowJson.WriteDecisions(s.Decisions) + "|"
        + WorkflowJson.WriteSettlements(s.Settlements) + "|"
        + WorkflowJson.WriteAnomalies(s.Anomalies)));
}
