using System.Numerics;
using Nethereum.ABI.Model;
using Nethereum.RPC.Eth.DTOs;
using Simulator.Contract;
using Simulator.Simulation;

namespace Simulator.Bulk;

/// <summary>Counts mined logs by event type and sums the PaymentExecuted amounts, from topics and data, without decoding whole events.</summary>
internal sealed class LogTally(ContractABI abi)
{
    private readonly Dictionary<string, string> typeByTopic = abi.Events.ToDictionary(
        eventAbi => "0x" + eventAbi.Sha3Signature.ToLowerInvariant(),
        eventAbi => WorkflowEventDecoder.EventTypes[eventAbi.Name],
        StringComparer.OrdinalIgnoreCase);

    private readonly Dictionary<string, long> counts = ExpectedTotals.EventTypes.ToDictionary(type => type, _ => 0L, StringComparer.Ordinal);
    private BigInteger settled;

    public long Events => counts.Values.Sum();

    public void Add(FilterLog log)
    {
        var type = typeByTopic.GetValueOrDefault((string)log.Topics[0])
            ?? throw new InvalidDataException($"Log {log.LogIndex.Value} of {log.TransactionHash} is not an X402Workflow event.");
        counts[type]++;
        if (type == "PAYMENT_EXECUTED")
        {
            // The only data word of PaymentExecuted is the amount, a big-endian uint256.
            settled += new BigInteger(Convert.FromHexString(log.Data[2..]), isUnsigned: true, isBigEndian: true);
        }
    }

    public ExpectedTotals ToTotals() => new(new Dictionary<string, long>(counts, StringComparer.Ordinal), settled);
}
