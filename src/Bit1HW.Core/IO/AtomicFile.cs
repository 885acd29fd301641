namespace Bit1HW.Core.IO;

/// <summary>
/// Writes files so that a failure never leaves a half-written output: the content goes to a
/// temporary sibling first and is renamed over the target only when complete.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(fs);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            var bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
            s.Write(bytes);
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>
    /// Writes a whole directory of files: all are produced into a temporary sibling directory and the
    /// files are moved into <paramref name="dir"/> only when every one was written.
    /// </summary>
    public static void WriteDirectory(string dir, IReadOnlyList<(string RelativePath, string Text)> files)
    {
        string full = Path.GetFullPath(dir);
        string parent = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(parent);
        string tmp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmpdir");
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        try
        {
            foreach (var (rel, text) in files)
            {
                string p = Path.Combine(tmp, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(p)!);
                File.WriteAllText(p, text, new System.Text.UTF8Encoding(false));
            }
            Directory.CreateDirectory(full);
            foreach (var (rel, _) in files)
            {
                string dst = Path.Combine(full, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
                File.Move(Path.Combine(tmp, rel), dst, overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
    }
}
