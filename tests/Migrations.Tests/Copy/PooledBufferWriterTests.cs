using System.Buffers;
using System.Text;
using Migrations.Copy;
using NUnit.Framework;

namespace Migrations.Tests.Copy;

public sealed class PooledBufferWriterTests
{
    [Test]
    public void Writes_PastTheInitialCapacity_KeepEveryByteInOrder()
    {
        using var buffer = new PooledBufferWriter(initialCapacity: 4);
        var expected = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();

        foreach (var chunk in expected.Chunk(7))
        {
            chunk.CopyTo(buffer.GetSpan(chunk.Length));
            buffer.Advance(chunk.Length);
        }

        Assert.That(buffer.WrittenMemory.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Advance_BeyondWhatWasReserved_Throws()
    {
        using var buffer = new PooledBufferWriter(initialCapacity: 16);
        var reserved = buffer.GetSpan(16).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(reserved + 1));
    }

    [Test]
    public void ResetWrittenCount_StartsOverInTheSameBuffer()
    {
        using var buffer = new PooledBufferWriter(initialCapacity: 16);
        buffer.Write("abc"u8);

        buffer.ResetWrittenCount();
        buffer.Write("de"u8);

        Assert.That(Encoding.ASCII.GetString(buffer.WrittenSpan), Is.EqualTo("de"));
    }

    [Test]
    public void WrittenBytes_AfterDispose_AreRefusedRatherThanReadFromAReusedArray()
    {
        var buffer = new PooledBufferWriter(initialCapacity: 16);
        buffer.Write("abc"u8);

        buffer.Dispose();
        buffer.Dispose();

        Assert.Multiple(() =>
        {
            Assert.Throws<ObjectDisposedException>(() => _ = buffer.WrittenMemory);
            Assert.Throws<ObjectDisposedException>(() => buffer.GetSpan());
        });
    }

    [Test]
    public void Jsonb_WrittenInPlace_EncodesLikeTheSameJsonGivenAsText()
    {
        const string json = """{"reason":"déjà vu – 拒否","amount":"18446744073709551617"}""";
        using var inPlace = new PooledBufferWriter(initialCapacity: 1);
        using var asText = new PooledBufferWriter(initialCapacity: 1);

        new BinaryCopyEncoder(inPlace).Jsonb(json, static (output, text) => output.Write(Encoding.UTF8.GetBytes(text)));
        new BinaryCopyEncoder(asText).Jsonb(json);

        Assert.That(inPlace.WrittenMemory.ToArray(), Is.EqualTo(asText.WrittenMemory.ToArray()));
    }
}
