using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Bit1HW.Core.IO;

/// <summary>
/// The temporary siblings <see cref="AtomicFile"/> writes outputs into, named <c>.NAME.PID.tmp</c>
/// (a file), <c>.NAME.PID.tmpdir</c> (a directory being built) and <c>.NAME.PID.old</c> (the
/// previous directory while a new one is swapped in). Three guarantees:
/// <list type="bullet">
/// <item>on an exception the writer deletes its own temporaries (AtomicFile's finally blocks);</item>
/// <item>on SIGINT, SIGTERM or SIGHUP this process deletes every live temporary (restoring a
/// directory caught between the two renames of a swap) and exits with 128 + the signal number
/// (130, 143, 129), as a shell reports a process killed by that signal;</item>
/// <item>temporaries of a process that no longer exists (SIGKILL, power loss) are removed, or an
/// <c>.old</c> directory put back, by the next write into the same directory.</item>
/// </list>
/// </summary>
internal static partial class TempFiles
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string?> Live = new(StringComparer.Ordinal);
    private static readonly List<PosixSignalRegistration> Handlers = [];
    private static bool _terminating;

    [GeneratedRegex(@"^\.(?<name>.+)\.(?<pid>[0-9]{1,10})\.(?<kind>tmp|tmpdir|old)$", RegexOptions.CultureInvariant)]
    private static partial Regex TempName();

    public static string NameFor(string fullPath, string kind) =>
        Path.Combine(Path.GetDirectoryName(fullPath) ?? ".",
            string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{kind}"));

    /// <summary>Registers a temporary (and, for an <c>.old</c> directory, the path to restore it to); removes stale ones first.</summary>
    public static void Begin(string temp, string? restoreTo = null)
    {
        RemoveStale(Path.GetDirectoryName(temp) ?? ".");
        lock (Gate)
        {
            WaitIfTerminating();
            if (Handlers.Count == 0 && !OperatingSystem.IsWindows())
            {
                foreach (PosixSignal s in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP])
                    Handlers.Add(PosixSignalRegistration.Create(s, OnSignal));
            }
            Live[temp] = restoreTo;
        }
    }

    /// <summary>Runs a rename (or another step that makes output visible) unless a signal has started the cleanup.</summary>
    public static void Commit(Action step)
    {
        lock (Gate)
        {
            WaitIfTerminating();
            step();
        }
    }

    /// <summary>After a signal the process is exiting: a writer thread must not make output visible, so it waits for the exit.</summary>
    private static void WaitIfTerminating()
    {
        if (_terminating) Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Unregisters a temporary and deletes it if it still exists.</summary>
    public static void End(string temp)
    {
        lock (Gate)
        {
            Live.Remove(temp);
            Delete(temp);
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        lock (Gate)
        {
            _terminating = true;
            foreach (var (temp, restoreTo) in Live) Settle(temp, restoreTo);
            Live.Clear();
        }
        context.Cancel = true;
        int signal = context.Signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            PosixSignal.SIGHUP => 1,
            _ => throw new UnreachableException(context.Signal.ToString()),
        };
        Environment.Exit(128 + signal);
    }

    /// <summary>Deletes a temporary, or moves an <c>.old</c> directory back when its target is missing.</summary>
    private static void Settle(string temp, string? restoreTo)
    {
        try
        {
            if (restoreTo is not null && Directory.Exists(temp) && !Path.Exists(restoreTo)) Directory.Move(temp, restoreTo);
            else Delete(temp);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>
    /// Removes the temporaries in <paramref name="dir"/> whose process has exited; never those this
    /// process has live. Best effort: a directory that cannot be listed is left as it is (writing
    /// into it will report the problem).
    /// </summary>
    public static void RemoveStale(string dir)
    {
        string[] entries;
        try
        {
            if (!Directory.Exists(dir)) return;
            entries = Directory.GetFileSystemEntries(dir, ".*");
        }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        foreach (string path in entries)
        {
            Match m = TempName().Match(Path.GetFileName(path));
            if (!m.Success || !int.TryParse(m.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            lock (Gate)
            {
                if (Live.ContainsKey(path) || (pid != Environment.ProcessId && IsRunning(pid))) continue;
                string target = Path.Combine(dir, m.Groups["name"].Value);
                Settle(path, m.Groups["kind"].Value == "old" ? target : null);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}"));
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
