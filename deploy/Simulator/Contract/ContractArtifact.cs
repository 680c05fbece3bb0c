using System.Text.Json;

namespace Simulator.Contract;

/// <summary>The compiled X402Workflow contract, embedded in this assembly from deploy/contracts/X402Workflow.json.</summary>
/// <param name="Abi">The ABI as JSON text, as Nethereum takes it.</param>
/// <param name="Bytecode">Creation bytecode, 0x-prefixed.</param>
public sealed record ContractArtifact(string ContractName, string Abi, string Bytecode)
{
    private const string ResourceName = "X402Workflow.json";

    public static ContractArtifact Load()
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the Simulator assembly.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        return new ContractArtifact(
            root.GetProperty("contractName").GetString() ?? throw new InvalidDataException("Artifact has no contractName."),
            root.GetProperty("abi").GetRawText(),
            root.GetProperty("bytecode").GetString() ?? throw new InvalidDataException("Artifact has no bytecode."));
    }
}
