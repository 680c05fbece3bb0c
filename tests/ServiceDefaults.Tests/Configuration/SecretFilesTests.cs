using NUnit.Framework;
using ServiceDefaults.Configuration;

namespace ServiceDefaults.Tests.Configuration;

/// <summary>SecretFiles writes the process environment, so every test uses a setting name of its own and removes it afterwards.</summary>
public sealed class SecretFilesTests
{
    private const string Secret = "postgresql://observer:Sup3r-Secret-Pw@db:5432/x402";
    private string _folder = null!;
    private string _name = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("x402-secret-").FullName;
        _name = "X402_SECRET_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
    }

    [TearDown]
    public void CleanUp()
    {
        Environment.SetEnvironmentVariable(_name, null);
        Environment.SetEnvironmentVariable(_name + "_FILE", null);
        Directory.Delete(_folder, recursive: true);
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("")]
    public void Resolve_FileSetting_SetsTheValueWithoutItsTrailingNewline(string newline)
    {
        Environment.SetEnvironmentVariable(_name + "_FILE", WriteSecret(Secret + newline));

        SecretFiles.Resolve([_name]);

        Assert.That(Environment.GetEnvironmentVariable(_name), Is.EqualTo(Secret));
    }

    [Test]
    public void Resolve_BothFormsSet_IsAConfigurationErrorNamingBothAndNotTheValue()
    {
        Environment.SetEnvironmentVariable(_name, Secret);
        Environment.SetEnvironmentVariable(_name + "_FILE", WriteSecret(Secret));

        var error = Assert.Throws<ConfigurationException>(() => SecretFiles.Resolve([_name]))!;

        Assert.That(error.Message, Does.Contain(_name + "_FILE").And.Contain(_name + " and").And.Not.Contain("Sup3r"));
    }

    [Test]
    public void Resolve_MissingFile_IsAConfigurationErrorNamingTheFileSetting()
    {
        Environment.SetEnvironmentVariable(_name + "_FILE", Path.Combine(_folder, "absent"));

        var error = Assert.Throws<ConfigurationException>(() => SecretFiles.Resolve([_name]))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith(_name + "_FILE "));
            Assert.That(Environment.GetEnvironmentVariable(_name), Is.Null);
        });
    }

    [Test]
    public void Resolve_NoFileSetting_LeavesTheEnvironmentAlone()
    {
        Environment.SetEnvironmentVariable(_name, "as set");

        SecretFiles.Resolve([_name]);

        Assert.That(Environment.GetEnvironmentVariable(_name), Is.EqualTo("as set"));
    }

    private string WriteSecret(string content)
    {
        var path = Path.Combine(_folder, "secret");
        File.WriteAllText(path, content);
        return path;
    }
}
