using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text;
using Core.Domain.Events;
using Core.Domain.Workflows;
using FsCheck;
using FsCheck.Fluent;

namespace Core.Domain.Tests;

/// <summary>What the generator intends one workflow to end as, derived from its own model, not from the reducer.</summary>
internal sealed record PlannedWorkflow(string Id, WorkflowPhase Phase, BigInteger SettledTotal, ImmutableArray<AnomalyKind> Anomalies);

/// <summary>An ordered multi-workflow event stream and the plan it was generated from.</summary>
internal sealed record PlannedStream(ImmutableArray<WorkflowEvent> Events, ImmutableArray<PlannedWorkflow> Workflows)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var e in Events)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.Position} {e.WorkflowId[^4..]} {e.Type.ToName()}; ");
        }

        foreach (var w in Workflows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {w.Id[^4..]} → {w.Phase} [{string.Join(",", w.Anomalies)}] ");
        }

        return text.ToString();
    }
}

/// <summary>
/// Generates realistic event streams: workflows that walk random legal paths through the contract's
/// state machine (a rejection emits its WorkflowFailed in the same transaction), some whose start
/// lies before the indexed range (orphans), some with illegal events mixed in, all interleaved
/// across blocks with strictly increasing positions.
/// </summary>
internal static class EventStreams
{
    public static Gen<PlannedStream> Planned =>
        from count in Gen.Choose(1, 12)
        from scripts in Gen.CollectToArray(Enumerable.Range(0, count).Select(Script))
        from owners in Gen.Shuffle(scripts.SelectMany((script, owner) => Enumerable.Repeat(owner, script.Transactions.Length)))
        from blockGaps in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 3))), owners.Length)
        select Assemble(scripts, owners, blockGaps);

    private enum Move
    {
        Start,
        Approve,
        Reject,
        Pay,
        Complete,
        Fail,
    }

    private delegate WorkflowEvent Emit(string id, EventPosition at, long timestamp);

    private sealed record Details(string Initiator, string Reason, BigInteger Amount, string From, string To);

    private sealed record WorkflowScript(PlannedWorkflow Plan, ImmutableArray<ImmutableArray<Emit>> Transactions);

    /// <summary>
    /// The contract's state machine: the moves each phase allows and where they lead, weighted
    /// towards the happy path so that every final phase is common.
    /// </summary>
    private static (Move Move, WorkflowPhase Next, int Weight)[] LegalMoves(WorkflowPhase phase) => phase switch
    {
        WorkflowPhase.Started => [(Move.Approve, WorkflowPhase.Approved, 4), (Move.Reject, WorkflowPhase.Rejected, 2), (Move.Fail, WorkflowPhase.Failed, 1)],
        WorkflowPhase.Approved => [(Move.Pay, WorkflowPhase.Settled, 4), (Move.Fail, WorkflowPhase.Failed, 1)],
        WorkflowPhase.Settled => [(Move.Complete, WorkflowPhase.Completed, 4), (Move.Fail, WorkflowPhase.Failed, 1)],
        _ => [],
    };

    private static Move[] IllegalMoves(WorkflowPhase phase) =>
        Enum.GetValues<Move>().Except(LegalMoves(phase).Select(legal => legal.Move)).ToArray();

    private static readonly Gen<string> Addresses = Gen.Elements(Events.Initiator, Events.Payer, Events.Payee, "0x" + new string('f', 40));

    private static readonly Gen<string> Reasons = Gen.Elements("ok", "", "say \"no\"", "déjà vu – 拒否", "back\\slash\nnewline");

    /// <summary>Positive wei amounts, often far above 2^64.</summary>
    private static readonly Gen<BigInteger> Amounts =
        from mantissa in Gen.Choose(1, int.MaxValue)
        from shift in Gen.Choose(0, 200)
        from low in Gen.Choose(0, 1000)
        select ((BigInteger)mantissa << shift) + low;

    private static readonly Gen<Details> AnyDetails =
        from initiator in Addresses
        from reason in Reasons
        from amount in Amounts
        from payer in Addresses
        from payee in Addresses
        select new Details(initiator, reason, amount, payer, payee);

    /// <summary>A random legal walk from <paramref name="phase"/>: at each running phase, stop or take a legal move (the machine is acyclic).</summary>
    private static Gen<ImmutableArray<(Move Move, WorkflowPhase Next)>> Walk(WorkflowPhase phase, ImmutableArray<(Move, WorkflowPhase)> path)
    {
        var moves = LegalMoves(phase);
        if (moves.Length == 0)
        {
            return Gen.Constant(path);
        }

        var stop = (1, Gen.Constant(path));
        return Gen.Frequency(moves
            .Select(move => (move.Weight, Walk(move.Next, path.Add((move.Move, move.Next)))))
            .Prepend(stop));
    }

    private static Gen<WorkflowScript> Script(int index) =>
        from details in AnyDetails
        from path in Walk(WorkflowPhase.Started, [(Move.Start, WorkflowPhase.Started)])
        from dropped in path.Length > 1
            ? Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Choose(1, path.Length - 1)))
            : Gen.Constant(0)
        from noise in Gen.ArrayOf(Gen.Frequency((5, Gen.Constant(-1)), (1, Gen.Choose(0, 5))), path.Length)
        select BuildScript($"0x{index:x64}", details, path, dropped, noise);

    /// <param name="dropped">How many leading steps lie before the indexed range (0: the start is seen).</param>
    /// <param name="noise">Per step, -1 or which of the phase's illegal moves to emit after it.</param>
    private static WorkflowScript BuildScript(
        string id, Details details, ImmutableArray<(Move Move, WorkflowPhase Next)> path, int dropped, int[] noise)
    {
        var transactions = ImmutableArray.CreateBuilder<ImmutableArray<Emit>>();
        var anomalies = ImmutableArray.CreateBuilder<AnomalyKind>();
        var settled = BigInteger.Zero;
        if (dropped > 0)
        {
            anomalies.Add(AnomalyKind.MissingStart);
        }

        for (var step = dropped; step < path.Length; step++)
        {
            var (move, phase) = path[step];
            transactions.Add(move == Move.Reject
                ? [EmitFor(Move.Reject, details), EmitFor(Move.Fail, details)]
                : [EmitFor(move, details)]);
            if (move == Move.Pay)
            {
                settled += details.Amount;
            }

            if (noise[step] >= 0)
            {
                var illegal = IllegalMoves(phase);
                var odd = illegal[noise[step] % illegal.Length];
                transactions.Add([EmitFor(odd, details)]);
                anomalies.Add(odd == Move.Start ? AnomalyKind.DuplicateStart : AnomalyKind.IllegalTransition);
            }
        }

        var plan = new PlannedWorkflow(id, path[^1].Next, settled, anomalies.ToImmutable());
        return new WorkflowScript(plan, transactions.ToImmutable());
    }

    private static Emit EmitFor(Move move, Details d) => move switch
    {
        Move.Start => (id, at, ts) => new WorkflowStarted(id, at, ts, d.Initiator),
        Move.Approve => (id, at, ts) => new DecisionRecorded(id, at, ts, true, d.Reason),
        Move.Reject => (id, at, ts) => new DecisionRecorded(id, at, ts, false, d.Reason),
        Move.Pay => (id, at, ts) => new PaymentExecuted(id, at, ts, d.From, d.To, d.Amount),
        Move.Complete => (id, at, ts) => new WorkflowCompleted(id, at, ts),
        Move.Fail => (id, at, ts) => new WorkflowFailed(id, at, ts, d.Reason),
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, null),
    };

    /// <summary>Lays the workflows' transactions out in the shuffled order; a gap of 0 keeps the same block.</summary>
    private static PlannedStream Assemble(WorkflowScript[] scripts, int[] owners, int[] blockGaps)
    {
        var next = new int[scripts.Length];
        var events = ImmutableArray.CreateBuilder<WorkflowEvent>();
        long block = 1_000;
        int tx = -1, log = 0;
        for (var i = 0; i < owners.Length; i++)
        {
            if (blockGaps[i] > 0)
            {
                block += blockGaps[i];
                tx = -1;
                log = 0;
            }

            tx++;
            var script = scripts[owners[i]];
            foreach (var emit in script.Transactions[next[owners[i]]++])
            {
                events.Add(emit(script.Plan.Id, new EventPosition(block, tx, log++), 1_700_000_000 + (block * 2)));
            }
        }

        return new PlannedStream(events.ToImmutable(), [.. scripts.Select(script => script.Plan)]);
    }
}
