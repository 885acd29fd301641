using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bit1HW.Core;

namespace Bit1HW.Cli.Terminal;

/// <summary>How progress is shown: a live status line (stderr is a terminal), plain lines (piped), or not at all.</summary>
internal enum DisplayMode { Live, Lines, Quiet }

/// <summary>
/// The progress of one command, always on stderr so stdout stays the result. On a terminal it is
/// one live status line (spinner, stage, bar, elapsed time, the tool's latest line), redrawn ten
/// times a second so a long step never looks stuck. Piped (a CI log), it is plain lines, and only
/// for work that takes a while: the current stage when no line has been printed for
/// <see cref="LineDelay"/> (so at most one line per 2 s), and while one stage lasts a heartbeat
/// line with its fraction and elapsed time every <see cref="Heartbeat"/>; a command that finishes
/// within 2 s prints no progress at all. With --quiet, nothing. <c>BIT1HW_PROGRESS=live|lines|none</c>
/// overrides the choice (tests; terminals the runtime does not recognize).
///
/// Written here rather than with Spectre.Console's live display: Spectre redraws its region by
/// moving the cursor over lines it owns, which overwrites anything written to stdout in between
/// (decode prints each token as it is generated), while this line is drawn after the cursor
/// (save, draw, restore) and erased before stdout writes, so the two streams interleave cleanly.
/// </summary>
internal sealed class StatusDisplay : IProgress<ProgressUpdate>, IDisposable
{
    private const string Save = "\u001b7", Restore = "\u001b8", ClearToEnd = "\u001b[K";
    private static readonly string[] Spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    internal static readonly TimeSpan LineDelay = TimeSpan.FromSeconds(2), Heartbeat = TimeSpan.FromSeconds(10);

    /// <summary>The live display of this process, if any, which stdout writes must step around.</summary>
    internal static StatusDisplay? Active { get; private set; }

    private readonly TextWriter _err;
    private readonly object _gate = new();
    private readonly Stopwatch _stageClock = new(), _sinceLine = Stopwatch.StartNew(), _sinceDraw = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private string _stage = "";
    private double? _fraction;
    private string? _detail;
    private int _spin;
    private bool _drawn, _disposed, _stagePrinted;

    public DisplayMode Mode { get; }

    /// <summary>Permanent lines (a finished build, a failing case): above the live line, or plain lines when piped.</summary>
    public TextWriter Log { get; }

    private StatusDisplay(TextWriter err, DisplayMode mode)
    {
        _err = err;
        Mode = mode;
        Log = new LineWriter(Message);
        if (mode == DisplayMode.Quiet) return;
        if (mode == DisplayMode.Live) Active = this;
        _timer = new Timer(_ => Tick(), null, 100, mode == DisplayMode.Live ? 100 : 250);
    }

    /// <summary>A display for one command writing to <paramref name="err"/>.</summary>
    public static StatusDisplay Open(TextWriter err, bool quiet) => new(err, ModeFor(err, quiet));

    internal static DisplayMode ModeFor(TextWriter err, bool quiet)
    {
        // Commands run in process with captured writers (fuzz workers) show no progress: their stderr is checked line by line.
        if (quiet || !ReferenceEquals(err, Console.Error)) return DisplayMode.Quiet;
        return Environment.GetEnvironmentVariable("BIT1HW_PROGRESS") switch
        {
            "live" => DisplayMode.Live,
            "lines" => DisplayMode.Lines,
            "none" => DisplayMode.Quiet,
            _ => Console.IsErrorRedirected ? DisplayMode.Lines : DisplayMode.Live,
        };
    }

    /// <summary>Starts a new stage with an unknown amount of work.</summary>
    public void Stage(string stage) => Report(new ProgressUpdate(stage));

    /// <summary>A stage worth a line of its own in a log (a flow's numbered steps): printed at once when piped, the live line on a terminal.</summary>
    public void Step(string stage)
    {
        if (Mode == DisplayMode.Lines) Message(stage);
        Stage(stage);
        lock (_gate) _stagePrinted |= Mode == DisplayMode.Lines;
    }

    /// <summary>The latest transient line of the current stage (a tool's output), shown on the live line only.</summary>
    public void Detail(string line)
    {
        lock (_gate) Report(new ProgressUpdate(_stage, _fraction, line));
    }

    public void Report(ProgressUpdate u)
    {
        if (Mode == DisplayMode.Quiet) return;
        lock (_gate)
        {
            if (_disposed) return;
            bool changed = u.Stage != _stage;
            if (changed)
            {
                _stage = u.Stage;
                _stageClock.Restart();
                _detail = null;
                _stagePrinted = false;
            }
            _fraction = u.Fraction;
            if (u.Detail is not null) _detail = u.Detail;
            // A stage change shows at once; finer reports (a simulator's cycles, a tool's lines) wait for the next tick.
            if (Mode == DisplayMode.Live && (changed || _sinceDraw.ElapsedMilliseconds >= 100)) Draw();
        }
    }

    private void Message(string line)
    {
        if (Mode == DisplayMode.Quiet) return;
        lock (_gate)
        {
            if (_disposed) { _err.WriteLine(line); return; }
            Erase();
            if (Mode == DisplayMode.Live && StdoutColumn > 0) _err.WriteLine();
            _err.WriteLine(line);
            _sinceLine.Restart();
            _stagePrinted = true;   // the line just printed is news enough; the stage comes back as a heartbeat
            if (Mode == DisplayMode.Live) Draw();
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_disposed || _stage.Length == 0) return;
            if (Mode == DisplayMode.Lines)
            {
                bool due = _sinceLine.Elapsed >= (_stagePrinted ? Heartbeat : LineDelay);
                if (!due) return;
                _err.WriteLine(_stagePrinted || _fraction is not null ? $"{_stage}: {Fraction()}{Elapsed(_stageClock.Elapsed)}" : _stage);
                _stagePrinted = true;
                _sinceLine.Restart();
                return;
            }
            _spin = (_spin + 1) % Spinner.Length;
            Draw();
        }
    }

    private string Fraction() => _fraction is double f
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Clamp(f, 0, 1) * 100:F0}%, ")
        : "";

    /// <summary>Column of the terminal cursor on stdout's current line (0 unless stdout is the same terminal mid-line).</summary>
    internal static int StdoutColumn { get; set; }

    /// <summary>Called by the stdout writer before it writes: erase the live line.</summary>
    internal void BeforeStdout()
    {
        lock (_gate) Erase();
    }

    /// <summary>Called by the stdout writer after it wrote: draw the live line again.</summary>
    internal void AfterStdout()
    {
        lock (_gate) if (!_disposed) Draw();
    }

    private void Draw()
    {
        if (_stage.Length == 0) return;
        int width = TerminalWidth() - StdoutColumn - 2;
        if (width < 10) return;
        // A long stage is cut so the bar, the time and the tool's line still show: three quarters from
        // its start (what runs), the rest from its end (a path's file name), an ellipsis between.
        int stageMax = Math.Max(20, width * 7 / 10);
        int head = stageMax * 3 / 4;
        string stage = _stage.Length <= stageMax ? _stage : _stage[..head] + "…" + _stage[^(stageMax - head - 1)..];
        var sb = new StringBuilder();
        sb.Append(StdoutColumn > 0 ? " " : "").Append(Spinner[_spin]).Append(' ').Append(stage);
        if (_fraction is double f)
        {
            int filled = (int)Math.Round(Math.Clamp(f, 0, 1) * 20);
            sb.Append(" [").Append('█', filled).Append('░', 20 - filled).Append(']')
              .Append(string.Create(CultureInfo.InvariantCulture, $" {Math.Clamp(f, 0, 1) * 100,3:F0}%"));
        }
        sb.Append(string.Create(CultureInfo.InvariantCulture, $" {Elapsed(_stageClock.Elapsed)}"));
        if (!string.IsNullOrWhiteSpace(_detail)) sb.Append("  ").Append(_detail.Trim());
        string text = sb.Length > width ? sb.ToString(0, width) : sb.ToString();
        _err.Write(Save + text + ClearToEnd + Restore);
        _drawn = true;
        _sinceDraw.Restart();
    }

    private void Erase()
    {
        if (!_drawn) return;
        _err.Write(ClearToEnd);
        _drawn = false;
    }

    private static string Elapsed(TimeSpan t) => t.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F0}s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:D2}s");

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    /// <summary>Erases the live line and stops redrawing; later progress is ignored, later log lines are plain.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            Erase();
            _disposed = true;
        }
        _timer?.Dispose();
        if (ReferenceEquals(Active, this)) Active = null;
    }

    /// <summary>A TextWriter that hands each complete line to a callback (for library APIs that log to a writer).</summary>
    private sealed class LineWriter(Action<string> onLine) : TextWriter
    {
        private readonly StringBuilder _line = new();
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    onLine(_line.ToString().TrimEnd('\r'));
                    _line.Clear();
                }
                else _line.Append(value);
            }
        }
    }
}
