namespace Core.Domain.Proofs;

internal static class ProofHex
{
    /// <summary>Lowercase hex with a 0x prefix, like every other hash the observer shows.</summary>
    public static string Format(ReadOnlySpan<byte> hash) => "0x" + Convert.ToHexStringLower(hash);
}
