using Core.Domain.Events;

namespace Core.Domain.Tests;

/// <summary>Canonical order is (block, transaction index, log index).</summary>
public class EventPositionTests
{
    private static IEnumerable<TestCaseData> EarlierLaterPairs()
    {
        TestCaseData Case(EventPosition earlier, EventPosition later, string why) =>
            new TestCaseData(earlier, later).SetArgDisplayNames(why);

        yield return Case(new(1, 9, 9), new(2, 0, 0), "block decides before transaction and log");
        yield return Case(new(5, 1, 9), new(5, 2, 0), "then transaction decides before log");
        yield return Case(new(5, 2, 3), new(5, 2, 4), "then log");
        yield return Case(new(int.MaxValue, 0, 0), new(int.MaxValue + 1L, 0, 0), "blocks beyond int range");
    }

    [TestCaseSource(nameof(EarlierLaterPairs))]
    public void Compare_EarlierWithLater_OrdersEarlierFirst(EventPosition earlier, EventPosition later)
    {
        Assert.That(earlier.CompareTo(later), Is.Negative);
        Assert.That(later.CompareTo(earlier), Is.Positive);
        Assert.That(earlier < later, Is.True);
        Assert.That(earlier <= later, Is.True);
        Assert.That(earlier > later, Is.False);
        Assert.That(earlier >= later, Is.False);
        Assert.That(later > earlier, Is.True);
        Assert.That(later >= earlier, Is.True);
        Assert.That(later < earlier, Is.False);
        Assert.That(later <= earlier, Is.False);
    }

    [Test]
    public void Compare_EqualPositions_IsZeroAndNeitherBefore()
    {
        var a = new EventPosition(5, 2, 3);
        var b = new EventPosition(5, 2, 3);

        Assert.That(a.CompareTo(b), Is.Zero);
        Assert.That(a == b, Is.True);
        Assert.That(a < b || a > b, Is.False);
        Assert.That(a <= b && a >= b, Is.True);
    }

    [Test]
    public void Sort_ShuffledPositions_GivesCanonicalOrder()
    {
        EventPosition[] canonical = [new(1, 0, 5), new(1, 2, 0), new(1, 2, 1), new(2, 0, 0), new(10, 0, 0)];
        EventPosition[] shuffled = [canonical[3], canonical[0], canonical[4], canonical[2], canonical[1]];

        Assert.That(shuffled.Order().ToArray(), Is.EqualTo(canonical));
    }

    [TestCase(5, 2, 0, 5, 2, 7, true, TestName = "IsSameTransactionAs_SameBlockAndTransaction_IsTrue")]
    [TestCase(5, 2, 0, 5, 2, 0, true, TestName = "IsSameTransactionAs_ItsOwnPosition_IsTrue")]
    [TestCase(5, 2, 0, 5, 3, 0, false, TestName = "IsSameTransactionAs_OtherTransactionOfBlock_IsFalse")]
    [TestCase(5, 2, 0, 6, 2, 0, false, TestName = "IsSameTransactionAs_SameIndexInOtherBlock_IsFalse")]
    public void IsSameTransactionAs(long blockA, int txA, int logA, long blockB, int txB, int logB, bool expected)
    {
        var a = new EventPosition(blockA, txA, logA);
        var b = new EventPosition(blockB, txB, logB);

        Assert.That(a.IsSameTransactionAs(b), Is.EqualTo(expected));
        Assert.That(b.IsSameTransactionAs(a), Is.EqualTo(expected));
    }

    [Test]
    public void ToString_IsBlockSlashTransactionSlashLog()
    {
        Assert.That(new EventPosition(12345678901, 2, 30).ToString(), Is.EqualTo("12345678901/2/30"));
    }
}
