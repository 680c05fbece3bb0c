using System.Net;
using NUnit.Framework;
using Query.Api.Tests.Support;

namespace Query.Api.Tests.Health;

public sealed class HealthTests
{
    [Test]
    public async Task Health_Always_AnswersStatusOk()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/health");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Body, Is.EqualTo("""{"status":"ok"}"""));
        });
    }

    [Test]
    public async Task HealthDb_DatabaseUp_AnswersConnected()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/health/db");

        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
            Assert.That(response.MediaType, Is.EqualTo("application/json"));
            Assert.That(response.Body, Is.EqualTo("""{"status":"ok","db":"connected"}"""));
        });
    }

    [Test]
    public async Task UnknownRoute_Answers404NotA500()
    {
        var api = await SeededApi.GetAsync();

        var response = await api.GetAsync("/no/such/route");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound), response.ToString());
    }
}
