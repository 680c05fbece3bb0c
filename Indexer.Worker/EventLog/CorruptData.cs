using Core.Domain.Events;
using Core.Domain.Proofs;

namespace Indexer.Worker.EventLog;

/// <summary>
/// Tells failures that retrying cannot mend (stored data this worker's own code could not have
/// written) from passing ones (a database or node going away, in whatever shape the driver reports it).
/// </summary>
public static class CorruptData
{
    public static bool Is(Exception exception) =>
        exception is InvalidDataException or InvalidEventPayloadException or CanonicalOrderException or FormatException;
}
