using TestSupport;

namespace Query.Api.Tests.Support;

/// <summary>
/// One database holding <see cref="GeneratedHistory"/>'s first <see cref="WorkflowCount"/> workflows and one
/// API process over it, for the whole run (started on first use, stopped by the [SetUpFixture]). Tests only
/// read through it; tests that write start their own.
/// </summary>
internal static class GeneratedApi
{
    /// <summary>Twenty of each fate; about 8.6 hours of block time.</summary>
    public const int WorkflowCount = 140;

    private static readonly Lazy<Task<ApiProcess>> Shared = new(StartAsync);

    /// <summary>Every workflow of the database, newest first.</summary>
    public static IReadOnlyList<GeneratedWorkflow> NewestFirst { get; } = GeneratedHistory.Workflows(0, WorkflowCount).Reverse().ToList();

    public static Task<ApiProcess> GetAsync() => Shared.Value;

    public static async Task DisposeAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.DisposeAsync();
        }
    }

    private static async Task<ApiProcess> StartAsync()
    {
        var (_, apiRoleUrl) = await SeededApi.CreateDatabaseAsync(
            await SharedPostgres.GetAsync(), adminUrl => GeneratedHistory.WriteAsync(adminUrl, WorkflowCount));
        return await ApiProcess.StartAsync(apiRoleUrl);
    }
}
