using NUnit.Framework;

namespace Deploy.Tests;

/// <summary>deploy/k8s built by kustomize and validated against the Kubernetes API's schemas (kubernetes-models, from npm).</summary>
public sealed class KubernetesManifestsTests
{
    [Test]
    public async Task TheKustomization_BuildsAndEveryManifestMatchesItsSchema()
    {
        var (exitCode, output) = await Tools.ValidateManifestsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            foreach (var resource in new[]
            {
                "Namespace/x402", "Secret/database-urls", "Service/query-api", "Deployment/indexer-worker", "Deployment/query-api",
                "PodDisruptionBudget/query-api", "HorizontalPodAutoscaler/query-api", "Job/migrations",
            })
            {
                Assert.That(output, Does.Contain(resource), resource);
            }
        });
    }

    [Test]
    public async Task AManifestThatBreaksItsSchema_FailsTheValidation()
    {
        var (exitCode, output) = await Tools.ValidateManifestsAsync(manifests => manifests.Replace("replicas: 2", "replicas: two", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("Deployment/indexer-worker: data/spec/replicas must be integer"));
        });
    }
}
