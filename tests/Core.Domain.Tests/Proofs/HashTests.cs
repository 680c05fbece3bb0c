using System.Security.Cryptography;
using Core.Domain.Events;
using Core.Domain.Proofs;
using static Core.Domain.Tests.Proofs.ProofSamples;

namespace Core.Domain.Tests.Proofs;

/// <summary>The event-log hash chain and the projection hash: definition, determinism, sensitivity, golden values.</summary>
public class HashTests
{
    // Golden values of ProofSamples.Log, cross-checked with an independent Python implementation of
    // the documented format. If one changes, every stored proof in every database changes with it.
    private const string GoldenEventLogHash = "0x2dc34a25cf33123e5888a954a39728ee8f1c26da78b4b371f4b52ed355fec188";
    private const string GoldenProjectionHash = "0x4e8689826321eecfa65ee3af71a89f6e7605de258fc03785c160dec184baabdf";

    [Test]
    public void EventLogHash_OfTheSampleLog_IsTheGoldenValue() =>
        Assert.That(EventLogHashOf(Log), Is.EqualTo(GoldenEventLogHash));

    [Test]
    public void ProjectionHash_OfTheSampleLogsProjection_IsTheGoldenValue() =>
        Assert.That(ProjectionHashOf(ProjectionOf(Log)), Is.EqualTo(GoldenProjectionHash));

    [Test]
    public void EventLogHash_OfNoEvents_Is32ZeroBytes() =>
        Assert.That(EventLogHashOf([]), Is.EqualTo("0x" + new string('0', 64)));

    [Test]
    public void ProjectionHash_OfNoRows_IsTheDigestOfNoBytes() =>
        Assert.That(ProjectionHashOf([]), Is.EqualTo("0x" + Convert.ToHexStringLower(SHA256.HashData([]))));

    [Test]
    public void EventLogHash_IsTheDocumentedChain()
    {
        var h1 = SHA256.HashData([.. new byte[32], .. CanonicalEncoding.Of(Log[0])]);
        var h2 = SHA256.HashData([.. h1, .. CanonicalEncoding.Of(Log[1])]);

        Assert.That(EventLogHashOf(Log[..2]), Is.EqualTo("0x" + Convert.ToHexStringLower(h2)));
    }

    [Test]
    public void ProjectionHash_IsTheDigestOfLengthPrefixedRows()
    {
        var rows = ProjectionOf(Log).ToArray();
        var bytes = rows.SelectMany(row =>
        {
            var encoded = CanonicalEncoding.Of(row);
            return BitConverter.GetBytes(encoded.Length).Reverse().Concat(encoded);
        }).ToArray();

        Assert.That(ProjectionHashOf(rows), Is.EqualTo("0x" + Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    [Test]
    public void Hashes_OfEqualInputs_AreEqual()
    {
        var copy = Log.Select(@event => @event with { }).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(EventLogHashOf(copy), Is.EqualTo(EventLogHashOf(Log)));
            Assert.That(ProjectionHashOf(ProjectionOf(copy)), Is.EqualTo(ProjectionHashOf(ProjectionOf(Log))));
        });
    }

    [Test]
    public void EventLogHash_DependsOnEveryEventAndOnWhichComesFirst()
    {
        // Same two payloads, positions swapped: still canonical order, different log.
        var first = Events.Started(Events.WorkflowA, 1, 0, 0, 10);
        var second = Events.Started(Events.WorkflowB, 2, 0, 0, 10);
        var swapped = new WorkflowEvent[] { second with { Position = first.Position }, first with { Position = second.Position } };

        Assert.Multiple(() =>
        {
            Assert.That(EventLogHashOf([first, second]), Is.Not.EqualTo(EventLogHashOf(swapped)));
            Assert.That(EventLogHashOf([first, second]), Is.Not.EqualTo(EventLogHashOf([first])));
            Assert.That(EventLogHashOf(Log.Where((_, index) => index != 3)), Is.Not.EqualTo(EventLogHashOf(Log)));
        });
    }

    [Test]
    public void ProjectionHash_DependsOnWhichRowHoldsWhichValues()
    {
        var rows = ProjectionOf(Log).ToArray();
        var swappedStatus = new[] { rows[0] with { Status = rows[1].Status }, rows[1] with { Status = rows[0].Status } };

        Assert.Multiple(() =>
        {
            Assert.That(ProjectionHashOf(swappedStatus), Is.Not.EqualTo(ProjectionHashOf(rows)));
            Assert.That(ProjectionHashOf(rows[..1]), Is.Not.EqualTo(ProjectionHashOf(rows)));
        });
    }

    [Test]
    public void EventLogHash_EventOutOfCanonicalOrder_Throws()
    {
        using var hash = new EventLogHash();
        hash.Append(Log[1]);

        Assert.Multiple(() =>
        {
            Assert.That(() => hash.Append(Log[0]), Throws.TypeOf<CanonicalOrderException>());
            Assert.That(() => hash.Append(Log[1]), Throws.TypeOf<CanonicalOrderException>(), "the same position twice");
        });
    }

    [Test]
    public void ProjectionHash_RowOutOfOrdinalOrder_Throws()
    {
        var rows = ProjectionOf(Log).ToArray();
        using var hash = new ProjectionHash();
        hash.Append(rows[1]);

        Assert.That(() => hash.Append(rows[0]), Throws.TypeOf<CanonicalOrderException>());
    }

    [Test]
    public void Hashes_CountWhatTheyHashed()
    {
        using var log = new EventLogHash();
        using var projection = new ProjectionHash();
        foreach (var @event in Log)
        {
            log.Append(@event);
        }

        foreach (var row in ProjectionOf(Log))
        {
            projection.Append(row);
        }

        Assert.Multiple(() =>
        {
            Assert.That(log.Count, Is.EqualTo(Log.Length));
            Assert.That(projection.Count, Is.EqualTo(2));
        });
    }
}
