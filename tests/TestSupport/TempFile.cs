namespace TestSupport;

/// <summary>
/// A file in a folder of its own under the temp directory, deleted with its folder on dispose:
/// tests write secrets and manifests to such files, and none may stay behind after the run.
/// </summary>
public sealed class TempFile : IDisposable
{
    private readonly string folder;

    private TempFile(string folder, string path) => (this.folder, Path) = (folder, path);

    public string Path { get; }

    public static async Task<TempFile> WriteAsync(string prefix, string name, string contents)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        var file = new TempFile(folder, System.IO.Path.Combine(folder, name));
        try
        {
            await File.WriteAllTextAsync(file.Path, contents);
            return file;
        }
        catch (IOException)
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
