using FluentValidation;

namespace Query.Api.Workflows;

/// <summary>The rules of the filter parameters, for every request that takes them; each error names its parameter.</summary>
public abstract class WorkflowFilterValidator<T> : AbstractValidator<T>
    where T : IWorkflowFilterQuery
{
    protected WorkflowFilterValidator()
    {
        RuleFor(query => query.Status)
            .Must(statuses => statuses!.All(WorkflowFilter.IsStatus))
            .When(query => query.Status is not null)
            .OverridePropertyName("status")
            .WithMessage("status must be running, completed, failed or rejected; repeat the parameter for several.");

        RuleFor(query => query.Initiator)
            .Must(QueryValues.IsAddress)
            .When(query => query.Initiator is not null)
            .OverridePropertyName("initiator")
            .WithMessage("initiator must be an address: 0x followed by 40 hex digits.");

        RuleFor(query => query.Payee)
            .Must(QueryValues.IsAddress)
            .When(query => query.Payee is not null)
            .OverridePropertyName("payee")
            .WithMessage("payee must be an address: 0x followed by 40 hex digits.");

        RuleFor(query => query.StartedFrom)
            .Must(QueryValues.IsUnixSeconds)
            .When(query => query.StartedFrom is not null)
            .OverridePropertyName("startedFrom")
            .WithMessage($"startedFrom must be unix seconds: a whole number from 0 to {QueryValues.MaxUnixSeconds}.");

        RuleFor(query => query.StartedTo)
            .Must(QueryValues.IsUnixSeconds)
            .When(query => query.StartedTo is not null)
            .OverridePropertyName("startedTo")
            .WithMessage($"startedTo must be unix seconds: a whole number from 0 to {QueryValues.MaxUnixSeconds}.");

        RuleFor(query => query.StartedTo)
            .Must((query, startedTo) => QueryValues.WholeNumber(startedTo!) >= QueryValues.WholeNumber(query.StartedFrom!))
            .When(query => QueryValues.IsUnixSeconds(query.StartedFrom) && QueryValues.IsUnixSeconds(query.StartedTo))
            .OverridePropertyName("startedTo")
            .WithMessage("startedTo must not be before startedFrom.");
    }
}
