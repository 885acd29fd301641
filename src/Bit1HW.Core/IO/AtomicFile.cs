namespace Bit1HW.Core.IO;

/// <summary>
/// Writes outputs so that a failure never leaves a half-written one: a file is written to a
/// temporary sibling and renamed over the target only when complete; a directory of files is
/// built as a temporary sibling directory and swapped in as a whole, so files of an earlier
/// output that the new one lacks disappear with it. Temporaries are removed on an exception, on
/// SIGINT/SIGTERM/SIGHUP, and, after a SIGKILL, by the next write into the same directory
/// (<see cref="TempFiles"/>).
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UserInputException(path, "is a directory; give a file path");
        CannotWrite(path, () => Directory.CreateDirectory(Path.GetDirectoryName(full) ?? "."));
        string tmp = TempFiles.NameFor(full, "tmp");
        TempFiles.Begin(tmp);
        try
        {
            CannotWrite(path, () =>
            {
                using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    write(fs);
                }
                TempFiles.Commit(() => File.Move(tmp, full, overwrite: true));
            });
        }
        finally
        {
            TempFiles.End(tmp);
        }
    }

    /// <summary>
    /// Runs a step of writing <paramref name="path"/>; a file-system error (a parent that is a file, no
    /// permission, a full disk) becomes a one-line error naming the output instead of a crash.
    /// </summary>
    private static void CannotWrite(string path, Action step)
    {
        try
        {
            step();
        }
        catch (IOException e) { throw new UserInputException(path, $"cannot write: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new UserInputException(path, $"cannot write: {e.Message}"); }
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

    /// <summary>Writes a whole directory of text files (see <see cref="WriteDirectory(string, string, Action{string})"/>).</summary>
    public static void WriteDirectory(string dir, IReadOnlyList<(string RelativePath, string Text)> files, string marker) =>
        WriteDirectory(dir, marker, tmp =>
        {
            foreach (var (rel, text) in files)
            {
                string p = Path.Combine(tmp, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(p)!);
                File.WriteAllText(p, text, new System.Text.UTF8Encoding(false));
            }
        });

    /// <summary>
    /// Builds a directory with <paramref name="fill"/> (given the temporary directory to write into)
    /// and swaps it in for <paramref name="dir"/>: the old directory is renamed aside, the new one
    /// renamed into place, the old one deleted. An existing <paramref name="dir"/> is replaced only
    /// when it is empty or holds <paramref name="marker"/> (a file every output of this kind has, such
    /// as gen's manifest.json), so a mistyped <c>--out .</c> never deletes unrelated files.
    /// </summary>
    public static void WriteDirectory(string dir, string marker, Action<string> fill)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        if (File.Exists(full)) throw new UserInputException(dir, "is a file; give a directory path");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(Path.Combine(full, marker)))
            throw new UserInputException(dir, $"exists and is not an earlier output of this command (no {marker}); give a new or empty directory");
        CannotWrite(dir, () => Directory.CreateDirectory(Path.GetDirectoryName(full) ?? "."));
        string tmp = TempFiles.NameFor(full, "tmpdir"), old = TempFiles.NameFor(full, "old");
        TempFiles.Begin(tmp);
        TempFiles.Begin(old, restoreTo: full);
        try
        {
            CannotWrite(dir, () =>
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
                Directory.CreateDirectory(tmp);
                fill(tmp);
                TempFiles.Commit(() => Swap(tmp, full, old));
            });
        }
        finally
        {
            TempFiles.End(tmp);
            TempFiles.End(old);
        }
    }

    private static void Swap(string tmp, string full, string old)
    {
        bool hadOld = Directory.Exists(full);
        if (hadOld) Directory.Move(full, old);
        try
        {
            Directory.Move(tmp, full);
        }
        catch
        {
            if (hadOld) Directory.Move(old, full);
            throw;
        }
    }
}
