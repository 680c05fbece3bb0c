using ServiceDefaults.Configuration;
using NUnit.Framework;

namespace ServiceDefaults.Tests.Configuration;

/// <summary>
/// EnvironmentFile (DotNetEnv) writes the process environment, so every test uses variable names of its own
/// (a per-test prefix) and removes them afterwards.
/// </summary>
public sealed class EnvironmentFileTests
{
    private string _folder = null!;
    private string _prefix = null!;
    private readonly List<string> _used = [];

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("x402-dotenv-").FullName;
        _prefix = "X402_DOTENV_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant() + "_";
    }

    [TearDown]
    public void CleanUp()
    {
        foreach (var name in _used)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        _used.Clear();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void LoadIfPresent_PlainLines_SetTheVariables()
    {
        var path = Write($"{Name("A")}=alpha", $"{Name("B")}=42");

        EnvironmentFile.LoadIfPresent(path);

        Assert.Multiple(() =>
        {
            Assert.That(Environment.GetEnvironmentVariable(Name("A")), Is.EqualTo("alpha"));
            Assert.That(Environment.GetEnvironmentVariable(Name("B")), Is.EqualTo("42"));
        });
    }

    [Test]
    public void LoadIfPresent_CommentsAndBlankLines_AreSkipped()
    {
        var path = Write(
            "# a comment line",
            "",
            "   ",
            $"   # {Name("COMMENTED")}=no",
            $"#{Name("ALSO_COMMENTED")}=no",
            $"{Name("KEPT")}=yes");

        EnvironmentFile.LoadIfPresent(path);

        Assert.Multiple(() =>
        {
            Assert.That(Environment.GetEnvironmentVariable(Name("KEPT")), Is.EqualTo("yes"));
            Assert.That(Environment.GetEnvironmentVariable(Name("COMMENTED")), Is.Null);
            Assert.That(Environment.GetEnvironmentVariable(Name("ALSO_COMMENTED")), Is.Null);
        });
    }

    [Test]
    public void LoadIfPresent_ExportPrefix_IsIgnored()
    {
        var path = Write($"export {Name("EXPORTED")}=from-shell-syntax", $"export   {Name("SPACED")}=too");

        EnvironmentFile.LoadIfPresent(path);

        Assert.Multiple(() =>
        {
            Assert.That(Environment.GetEnvironmentVariable(Name("EXPORTED")), Is.EqualTo("from-shell-syntax"));
            Assert.That(Environment.GetEnvironmentVariable(Name("SPACED")), Is.EqualTo("too"));
        });
    }

    [Test]
    public void LoadIfPresent_QuotedValues_AreUnquotedAndKeepInnerSpaces()
    {
        var path = Write(
            $"{Name("DOUBLE")}=\"two words \"",
            $"{Name("SINGLE")}='single # not a comment'",
            $"  {Name("PADDED")}  =   padded value   ");

        EnvironmentFile.LoadIfPresent(path);

        Assert.Multiple(() =>
        {
            Assert.That(Environment.GetEnvironmentVariable(Name("DOUBLE")), Is.EqualTo("two words "));
            Assert.That(Environment.GetEnvironmentVariable(Name("SINGLE")), Is.EqualTo("single # not a comment"));
            Assert.That(Environment.GetEnvironmentVariable(Name("PADDED")), Is.EqualTo("padded value"));
        });
    }

    [Test]
    public void LoadIfPresent_ValuesContainingEquals_KeepEverythingAfterTheFirstSeparator()
    {
        var path = Write(
            $"{Name("URL")}=postgresql://u:p@localhost:5432/db?sslmode=require&timeout=5",
            $"{Name("QUOTED")}=\"a=b=c\"");

        EnvironmentFile.LoadIfPresent(path);

        Assert.Multiple(() =>
        {
            Assert.That(
                Environment.GetEnvironmentVariable(Name("URL")),
                Is.EqualTo("postgresql://u:p@localhost:5432/db?sslmode=require&timeout=5"));
            Assert.That(Environment.GetEnvironmentVariable(Name("QUOTED")), Is.EqualTo("a=b=c"));
        });
    }

    [Test]
    public void LoadIfPresent_VariableAlreadySet_KeepsTheEnvironmentValue()
    {
        Environment.SetEnvironmentVariable(Name("PRESET"), "from-environment");
        var path = Write($"{Name("PRESET")}=from-file", $"{Name("FRESH")}=from-file");

        EnvironmentFile.LoadIfPresent(path);

        Assert.Multiple(() =>
        {
            Assert.That(Environment.GetEnvironmentVariable(Name("PRESET")), Is.EqualTo("from-environment"));
            Assert.That(Environment.GetEnvironmentVariable(Name("FRESH")), Is.EqualTo("from-file"));
        });
    }

    [Test]
    public void LoadIfPresent_SameKeyTwice_TheFirstLineWins()
    {
        var path = Write($"{Name("TWICE")}=first", $"{Name("TWICE")}=second");

        EnvironmentFile.LoadIfPresent(path);

        Assert.That(Environment.GetEnvironmentVariable(Name("TWICE")), Is.EqualTo("first"));
    }

    [Test]
    public void LoadIfPresent_SingleQuotedValue_KeepsDollarSignsLiterally()
    {
        var path = Write($"{Name("PASSWORD")}='pa$word$HOME'");

        EnvironmentFile.LoadIfPresent(path);

        Assert.That(Environment.GetEnvironmentVariable(Name("PASSWORD")), Is.EqualTo("pa$word$HOME"));
    }

    [TestCase("this line has no separator")]
    [TestCase("X402_DOTENV_MISMATCHED=\"Secret-In-A-Bad-Line'")]
    public void LoadIfPresent_MalformedLine_IsAConfigurationErrorNamingTheLineNotItsText(string badLine)
    {
        var path = Write($"{Name("FIRST")}=ok", badLine);

        var error = Assert.Throws<ConfigurationException>(() => EnvironmentFile.LoadIfPresent(path))!;

        Assert.That(error.Message, Does.Contain(".env").And.Contain("line 2").And.Not.Contain("Secret").And.Not.Contain("separator"));
    }

    [Test]
    public void LoadIfPresent_NoFile_DoesNothing()
    {
        Assert.DoesNotThrow(() => EnvironmentFile.LoadIfPresent(Path.Combine(_folder, "absent.env")));
    }

    private string Name(string suffix)
    {
        var name = _prefix + suffix;
        if (!_used.Contains(name))
        {
            _used.Add(name);
        }

        return name;
    }

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_folder, ".env");
        File.WriteAllLines(path, lines);
        return path;
    }
}
