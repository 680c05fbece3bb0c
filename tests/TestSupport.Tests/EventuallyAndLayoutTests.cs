using NUnit.Framework;

namespace TestSupport.Tests;

public sealed class EventuallyAndLayoutTests
{
    [Test]
    public async Task Eventually_returns_once_the_condition_holds()
    {
        var calls = 0;

        await Eventually.TrueAsync(() => Task.FromResult(++calls >= 3), TimeSpan.FromSeconds(5), "the third call succeeds");

        Assert.That(calls, Is.EqualTo(3));
    }

    [Test]
    public void Eventually_times_out_with_the_reason_and_the_last_error()
    {
        var error = Assert.ThrowsAsync<TimeoutException>(() => Eventually.TrueAsync(
            () => throw new InvalidOperationException("still starting"), TimeSpan.FromMilliseconds(300), "the server answers"));

        Assert.That(error!.Message, Does.Contain("the server answers").And.Contain("still starting"));
    }

    [Test]
    public void The_repository_root_holds_the_solution_and_the_configuration_is_that_of_this_build()
    {
        Assert.That(File.Exists(Path.Combine(RepoLayout.Root, "X402.sln")));
        Assert.That(AppContext.BaseDirectory, Does.Contain($"/bin/{RepoLayout.Configuration}/"));
    }

    [Test]
    public void A_project_that_was_not_built_is_reported_clearly()
    {
        var error = Assert.Throws<FileNotFoundException>(() => RepoLayout.BuiltDll("No.Such.Project"));

        Assert.That(error!.Message, Does.Contain("dotnet build"));
    }

    [Test]
    public void Free_ports_are_usable_port_numbers()
    {
        Assert.That(FreePort.Next(), Is.InRange(1024, 65535));
    }

    [Test]
    public void Free_ports_are_never_handed_out_twice_in_a_run()
    {
        var ports = Enumerable.Range(0, 500).Select(_ => FreePort.Next()).ToList();

        Assert.That(ports, Is.Unique);
    }
}
