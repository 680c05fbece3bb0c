using System.Net;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Stats;

public sealed class StatsTests
{
    [Test]
    public async Task Stats_SeededWorkflows_CountsEachStatusWithRejectedApartFromFailed()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/stats");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Body, Is.EqualTo("""{"total":4,"running":1,"completed":1,"failed":1,"rejected":1}"""));
        });
    }
}
