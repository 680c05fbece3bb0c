namespace Core.Domain.Proofs;

/// <summary>
/// Input reached a hash out of its canonical order. The hashes are defined over that order only,
/// so hashing anything else would give a value no other database could reproduce.
/// </summary>
public sealed class CanonicalOrderException(string message) : Exception(message);
