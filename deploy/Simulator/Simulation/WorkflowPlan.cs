using System.Numerics;

namespace Simulator.Simulation;

/// <summary>Everything drawn up front for one workflow, so a seed fixes the whole run.</summary>
/// <param name="Payer">Sends executePayment; may differ from the initiator, so that a settlement's payer is the transaction's sender, not the initiator.</param>
internal sealed record WorkflowPlan(
    WorkflowFate Fate,
    string Initiator,
    string Payer,
    string Recipient,
    BigInteger Amount,
    string DecisionReason,
    string FailureReason);
