using Indexer.Worker.Ingestion;
using NUnit.Framework;

namespace Indexer.Worker.Tests.Ingestion;

[TestFixture]
public sealed class RangeSizerTests
{
    [Test]
    public void NextSize_BeforeAnyAnswer_IsTheFirstRangeOrMaxBlockRangeIfSmaller()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new RangeSizer(2000, 5000).NextSize, Is.EqualTo(RangeSizer.FirstRange));
            Assert.That(new RangeSizer(5, 5000).NextSize, Is.EqualTo(5));
            Assert.That(new RangeSizer(8, 5000).HasAnswered, Is.False);
        });
    }

    [Test]
    public void Answered_DenseBlocks_SizesTheRangeToTheTargetNumberOfLogs()
    {
        var sizer = new RangeSizer(2000, 5000);

        sizer.Answered(blocks: 8, logs: 8 * 1460);

        Assert.That(sizer.NextSize, Is.EqualTo(3), "5000 logs at 1460 a block");
    }

    [Test]
    public void Answered_EmptyRanges_GrowTheRangeFourfoldUpToMaxBlockRange()
    {
        var sizer = new RangeSizer(2000, 5000);
        var sizes = new List<int>();
        for (var answer = 0; answer < 6; answer++)
        {
            sizer.Answered(sizer.NextSize, logs: 0);
            sizes.Add(sizer.NextSize);
        }

        Assert.That(sizes, Is.EqualTo(new[] { 32, 128, 512, 2000, 2000, 2000 }));
    }

    [Test]
    public void Answered_RangesOfAtMostAQuarterOfTheTarget_GrowTheRangeFourfold()
    {
        var sizer = new RangeSizer(2000, 5000);

        sizer.Answered(blocks: 8, logs: 1250);

        Assert.That(sizer.NextSize, Is.EqualTo(32), "1250 logs in 8 blocks would allow 32 blocks, and a quarter of the target grows fourfold");
    }

    [Test]
    public void Answered_RangesBelowTheTarget_GrowTheRangeTwofoldAtMost()
    {
        var sizer = new RangeSizer(2000, 5000);

        sizer.Answered(blocks: 8, logs: 2000);

        Assert.That(sizer.NextSize, Is.EqualTo(16), "2000 logs in 8 blocks would allow 20 blocks, but growth is capped at twice");
    }

    [Test]
    public void Refused_HalvesTheSize_AndKeepsItAtMostHalfTheRefusedWidthForEightAnswers()
    {
        var sizer = new RangeSizer(8, 5000);
        sizer.Refused(blocks: 8);
        var sizes = new List<int> { sizer.NextSize };
        for (var answer = 0; answer < 8; answer++)
        {
            sizer.Answered(sizer.NextSize, logs: 2000);
            sizes.Add(sizer.NextSize);
        }

        Assert.That(sizes, Is.EqualTo(new[] { 4, 4, 4, 4, 4, 4, 4, 4, 8 }));
    }

    [Test]
    public void NextSize_NeverBelowOneBlock()
    {
        var sizer = new RangeSizer(2000, 10);

        sizer.Answered(blocks: 1, logs: 100_000);
        sizer.Refused(blocks: 1);

        Assert.That(sizer.NextSize, Is.EqualTo(1));
    }
}
