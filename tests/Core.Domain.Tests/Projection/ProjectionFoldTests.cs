using Core.Domain.Events;
using Core.Domain.Projection;
using Core.Domain.Workflows;
using static Core.Domain.Tests.Scenarios;

namespace Core.Domain.Tests;

public class ProjectionFoldTests
{
    [Test]
    public void Fold_InterleavedWorkflows_ReducesEachWorkflowOnItsOwn()
    {
        var a = PathTo(WorkflowPhase.Completed, Events.WorkflowA);
        var b = PathTo(WorkflowPhase.Rejected, Events.WorkflowB)
            .Select(e => e with { Position = e.Position with { TransactionIndex = 1 } })
            .ToArray();

        var states = ProjectionFold.Fold(a.Concat(b).OrderBy(e => e.Position));

        Assert.That(states.Keys, Is.EqualTo(new[] { Events.WorkflowA, Events.WorkflowB }));
        Assert.That(states[Events.WorkflowA], Is.EqualTo(Replay(a)));
        Assert.That(states[Events.WorkflowB], Is.EqualTo(Replay(b)));
    }

    [Test]
    public void Fold_Result_IsKeyedInOrdinalOrder()
    {
        string[] ids = ["0xb", "0xa", "0xA", "0x_"];

        var states = ProjectionFold.Fold(ids.Select((id, i) => (WorkflowEvent)Events.Started(id, 1 + i, 0, 0, 100)));

        Assert.That(states.Keys, Is.EqualTo(new[] { "0xA", "0x_", "0xa", "0xb" }));
    }

    [Test]
    public void Fold_FromEarlierResult_LeavesEarlierResultUnchanged()
    {
        var path = PathTo(WorkflowPhase.Completed);
        var earlier = ProjectionFold.Fold(path.Take(2));
        var snapshot = earlier.ToArray();

        var later = ProjectionFold.Fold(path.Skip(2), from: earlier);

        Assert.That(earlier, Is.EqualTo(snapshot));
        Assert.That(later[Events.WorkflowA].Phase, Is.EqualTo(WorkflowPhase.Completed));
    }

    [Test]
    public void Add_StreamGroupedByWorkflow_HandsOutEachWorkflowOnceWhenTheNextBegins()
    {
        var a = PathTo(WorkflowPhase.Completed, Events.WorkflowA);
        var b = PathTo(WorkflowPhase.Failed, Events.WorkflowB);
        var fold = new ProjectionFold();

        var handedOut = a.Concat(b).Select(fold.Add).ToList();
        var last = fold.Complete();

        Assert.Multiple(() =>
        {
            Assert.That(handedOut.Take(a.Length), Is.All.Null);
            Assert.That(handedOut[a.Length], Is.EqualTo(Replay(a)));
            Assert.That(handedOut.Skip(a.Length + 1), Is.All.Null);
            Assert.That(last, Is.EqualTo(Replay(b)));
            Assert.That(fold.Complete(), Is.Null, "a completed stream has nothing left");
        });
    }

    [Test]
    public void Add_WorkflowWithAStartingState_ContinuesFromIt()
    {
        var path = PathTo(WorkflowPhase.Completed);
        var stored = Replay(path.Take(2));
        var fold = new ProjectionFold(id => id == Events.WorkflowA ? stored : null);

        foreach (var @event in path.Skip(2))
        {
            fold.Add(@event);
        }

        Assert.That(fold.Complete(), Is.EqualTo(Replay(path)));
    }

    [Test]
    public void Fold_NoEvents_IsEmpty()
    {
        Assert.That(ProjectionFold.Fold([]), Is.Empty);
    }
}
