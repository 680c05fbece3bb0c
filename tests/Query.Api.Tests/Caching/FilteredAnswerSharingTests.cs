using System.Net;
using ServiceDefaults.Configuration;
using Npgsql;
using NUnit.Framework;
using Query.Api.Tests.Support;
using TestSupport;

namespace Query.Api.Tests.Caching;

/// <summary>
/// Filtered answers are cached under their normalized filters: the same filter spelled differently shares
/// one answer, and another filter never gets it. As in AnswerFreshnessTests, a change made behind the
/// worker's back (no data version move) tells a shared answer from a fresh read.
/// </summary>
public sealed class FilteredAnswerSharingTests
{
    private static readonly string Dave = Seed.Dave;
    private static readonly string ShoutedDave = "0x" + Seed.Dave[2..].ToUpperInvariant();

    [Test]
    public async Task SameFiltersSpelledDifferently_ShareOneAnswer_OtherFiltersDoNot()
    {
        var (adminUrl, apiRoleUrl) = await SeededApi.CreateSeededDatabaseAsync(await SharedPostgres.GetAsync());
        await using var api = await ApiProcess.StartAsync(apiRoleUrl);
        var before = new[]
        {
            await OkAsync(api, $"/workflows?initiator={Dave}&status=running"),
            await OkAsync(api, $"/stats?initiator={Dave}"),
            await OkAsync(api, $"/stats/timeline?bucket=hour&from={Seed.TimestampOf(100)}&to={Seed.TimestampOf(110)}"),
        };

        await using (var database = NpgsqlDataSource.Create(DatabaseUrl.Parse(adminUrl)))
        await using (var command = database.CreateCommand("UPDATE workflow_state SET status = 'completed', completed_at = started_at WHERE workflow_id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Seed.Running });
            Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
        }

        var respelled = new[]
        {
            await OkAsync(api, $"/workflows?status=RUNNING&initiator={ShoutedDave}&status=running&limit=100"),
            await OkAsync(api, $"/stats?initiator={ShoutedDave}&status=running&status=completed&status=failed&status=rejected"),
            await OkAsync(api, $"/stats/timeline?from={Seed.TimestampOf(100) / 3600 * 3600}&to={(Seed.TimestampOf(110) / 3600 * 3600) + 3599}"),
        };
        var otherFilter = await OkAsync(api, $"/workflows?initiator={Dave}");

        Assert.Multiple(() =>
        {
            Assert.That(respelled, Is.EqualTo(before), "the normalized filters are the same cache keys");
            Assert.That(before[0], Does.Contain("\"status\":\"running\""));
            Assert.That(otherFilter, Does.Contain("\"status\":\"completed\""), "another filter is another key: read afresh");
        });
    }

    private static async Task<string> OkAsync(ApiProcess api, string path)
    {
        var response = await api.GetAsync(path);
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), $"{path}: {response}");
        return response.Body;
    }
}
