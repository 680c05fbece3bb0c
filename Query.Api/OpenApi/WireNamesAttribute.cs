using Core.Domain.Events;
using Core.Domain.Workflows;

namespace Query.Api.OpenApi;

/// <summary>
/// The string property holds one of the names of a domain enum (as the API writes them): the OpenAPI
/// document lists them as the property's enum, taken from the domain so that the two cannot drift.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WireNamesAttribute(Type enumType) : Attribute
{
    public IReadOnlyList<string> Names { get; } = NamesOf(enumType);

    private static string[] NamesOf(Type enumType) =>
        enumType == typeof(WorkflowStatus) ? [.. Enum.GetValues<WorkflowStatus>().Select(status => status.ToName())]
        : enumType == typeof(WorkflowPhase) ? [.. Enum.GetValues<WorkflowPhase>().Select(phase => phase.ToName())]
        : enumType == typeof(EventType) ? [.. Enum.GetValues<EventType>().Select(type => type.ToName())]
        : enumType == typeof(AnomalyKind) ? [.. Enum.GetValues<AnomalyKind>().Select(kind => kind.ToName())]
        : throw new ArgumentOutOfRangeException(nameof(enumType), enumType, "No wire names are known for this type.");
}
