using System.Numerics;

namespace Simulator.Simulation;

/// <summary>Draws workflow plans from a seeded <see cref="Random"/>; the same seed gives the same plans.</summary>
internal sealed class WorkflowPlanner(Random random, IReadOnlyList<string> initiators, IReadOnlyList<string> recipients)
{
    // Weights of the fate mix, in WorkflowFate order: mostly happy paths, every other path well represented.
    private static readonly int[] FateWeights = [35, 15, 5, 10, 10, 8, 8, 9];

    private static readonly string[] ApprovalReasons = ["policy check passed", "within budget", "auto-approved: trusted payee"];

    // Includes non-ASCII text and an empty string: an observer must store reasons byte for byte.
    private static readonly string[] RejectionReasons = ["over budget", "payee not allow-listed", "Budget überschritten — 予算超過"];
    private static readonly string[] FailureReasons = ["payment provider timeout", "cancelled by operator", ""];

    // 2^64 < 1e19: amounts from here up do not fit a ulong.
    private static readonly BigInteger LargeAmountBase = BigInteger.Pow(10, 19);

    /// <summary>The fates of a finite run: every fate once (so small runs still reach every status), the rest by weight, shuffled.</summary>
    public IReadOnlyList<WorkflowFate> DrawFates(int count)
    {
        var fates = Enum.GetValues<WorkflowFate>().Take(count).ToList();
        while (fates.Count < count)
        {
            fates.Add(DrawFate());
        }

        var shuffled = fates.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    public WorkflowFate DrawFate()
    {
        var roll = random.Next(FateWeights.Sum());
        for (var fate = 0; fate < FateWeights.Length; fate++)
        {
            roll -= FateWeights[fate];
            if (roll < 0)
            {
                return (WorkflowFate)fate;
            }
        }

        throw new InvalidOperationException("The fate weights do not cover the roll.");
    }

    public WorkflowPlan Plan(WorkflowFate fate) => new(
        fate,
        Initiator: Pick(initiators),
        Payer: Pick(initiators),
        Recipient: Pick(recipients),
        Amount: DrawAmount(),
        DecisionReason: Pick(fate == WorkflowFate.Rejected ? RejectionReasons : ApprovalReasons),
        FailureReason: Pick(FailureReasons));

    private BigInteger DrawAmount() => random.Next(3) == 0
        ? LargeAmountBase * random.Next(1, 5) + random.NextInt64()
        : random.NextInt64(1, 1_000_000_000_000_000_000);

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
