using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Tools;

namespace Bit1HW.CoSim;

/// <summary>
/// Builds a Verilator model of generated RTL into a shared library, cached by a hash of the RTL
/// sources, the harness, the flags and the Verilator version: a second run of the same design
/// loads the cached library instead of compiling. The cache lives in $BIT1HW_CACHE_DIR, else
/// $XDG_CACHE_HOME/bit1hw, else ~/.cache/bit1hw. Entries are built in a temporary directory and
/// renamed into place, so an interrupted build never leaves a broken entry. Builds of one key are
/// serialized within a process (xUnit runs test classes in parallel, and two threads building the same
/// design in one work directory deleted each other's dependency files), and every build has its own
/// work directory, so separate processes sharing a cache never collide either.
/// </summary>
internal static class VerilatorBuilder
{
    public const string LibraryName = "libbit1hw_model.so";

    internal static readonly string[] Flags =
        ["--cc", "--exe", "--build", "-O3", "--x-assign", "fast", "--x-initial", "unique", "-CFLAGS", "-fPIC", "-LDFLAGS", "-shared"];

    public static string CacheRoot()
    {
        string? env = Environment.GetEnvironmentVariable("BIT1HW_CACHE_DIR");
        if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "verilator");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrEmpty(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "bit1hw", "verilator");
    }

    /// <summary>Returns the path of the shared library for these sources, building it if not cached.</summary>
    /// <param name="sources">Verilog files as (file name, text), e.g. a generator's output.</param>
    /// <param name="progress">Receives one line when a build starts and when it ends.</param>
    /// <param name="status">Receives the build as a stage with Verilator's (and the C++ compiler's) output lines as they are printed.</param>
    public static string Build(HardwareConfig cfg, IReadOnlyList<(string Name, string Text)> sources, bool trace,
        TextWriter? progress = null, string? cacheRoot = null, IProgress<ProgressUpdate>? status = null) =>
        Build(VerilatorHarness.TopModuleName(cfg), sources, VerilatorHarness.Generate(cfg, trace), trace, progress, cacheRoot, status);

    /// <summary>As above for any top module and its own harness (e.g. the UART board top's, <see cref="BoardHarness"/>).</summary>
    public static string Build(string top, IReadOnlyList<(string Name, string Text)> sources, string harness, bool trace,
        TextWriter? progress = null, string? cacheRoot = null, IProgress<ProgressUpdate>? status = null)
    {
        cacheRoot ??= CacheRoot();
        string version = VerilatorVersion();
        string key = CacheKey(sources, harness, trace, version);
        string entry = Path.Combine(cacheRoot, key);
        string lib = Path.Combine(entry, LibraryName);
        if (File.Exists(lib)) return lib;
        lock (KeyLocks.GetOrAdd(key, _ => new object()))
        {
            if (File.Exists(lib)) return lib;
            return BuildEntry(top, sources, trace, progress, status, cacheRoot, harness, key, entry, lib);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> KeyLocks = new();

    private static string BuildEntry(string top, IReadOnlyList<(string Name, string Text)> sources, bool trace,
        TextWriter? progress, IProgress<ProgressUpdate>? status, string cacheRoot, string harness, string key, string entry, string lib)
    {
        string work = Path.Combine(cacheRoot, $".build-{key}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var args = new List<string>(Flags) { "--top-module", top, "-Mdir", "obj", "-o", LibraryName, "-j", "2" };
            if (trace) args.Add("--trace");
            foreach (var (name, text) in sources.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                File.WriteAllText(Path.Combine(work, name), text);
                args.Add(name);
            }
            File.WriteAllText(Path.Combine(work, "harness.cpp"), harness);
            args.Add("harness.cpp");
            var sw = Stopwatch.StartNew();
            string stage = $"verilator: building {top}{(trace ? " (trace)" : "")} (cache miss {key[..12]})";
            status?.Report(new ProgressUpdate(stage));
            progress?.WriteLine(stage + "...");
            var (code, output) = Run("verilator", args, work, status is null ? null : line => status.Report(new ProgressUpdate(stage, null, line)));
            if (code != 0)
                throw new ExternalToolException("verilator", $"build of {top} failed (exit {code}): {LastLines(output, 12)}");
            progress?.WriteLine($"verilator: built {top} in {sw.Elapsed.TotalSeconds:F1} s");
            Directory.CreateDirectory(entry);
            string tmpLib = Path.Combine(entry, $".{LibraryName}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
            File.Copy(Path.Combine(work, "obj", LibraryName), tmpLib, overwrite: true);
            File.Move(tmpLib, lib, overwrite: true);
            return lib;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    internal static string CacheKey(IReadOnlyList<(string Name, string Text)> sources, string harness, bool trace, string version)
    {
        var sb = new StringBuilder();
        sb.Append("abi=").Append(VerilatorHarness.AbiVersion).Append('\n');
        sb.Append("version=").Append(version).Append('\n');
        sb.Append("flags=").Append(string.Join(' ', Flags)).Append(trace ? " --trace" : "").Append('\n');
        foreach (var (name, text) in sources.OrderBy(s => s.Name, StringComparer.Ordinal))
            sb.Append("file=").Append(name).Append('\n').Append(text).Append('\n');
        sb.Append("harness\n").Append(harness);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static string? _version;

    public static string VerilatorVersion()
    {
        if (_version is not null) return _version;
        var (code, output) = Run("verilator", ["--version"], Directory.GetCurrentDirectory());
        if (code != 0) throw new ExternalToolException("verilator", $"'verilator --version' failed (exit {code}); run 'make setup'");
        return _version = output.Trim();
    }

    /// <summary>Runs a tool through Core's runner (missing tool → ExternalToolException naming `make setup`).</summary>
    private static (int Code, string Output) Run(string tool, IEnumerable<string> args, string workDir, Action<string>? onLine = null)
    {
        ToolResult r = ToolRunner.Run(tool, args, workDir, BuildTimeout, onLine);
        return (r.ExitCode, r.Stdout + r.Stderr);
    }

    /// <summary>A Verilator build of the widest supported designs takes minutes on two cores.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);

    private static string LastLines(string text, int n) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(n));
}
