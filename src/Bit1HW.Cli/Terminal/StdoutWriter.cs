using System.Text;

namespace Bit1HW.Cli.Terminal;

/// <summary>
/// stdout for the commands: every write first erases the live status line (if one is drawn on the
/// same terminal) and draws it again afterwards, and the column of stdout's current line is
/// tracked so the status line is drawn after a partial line (decode's tokens) instead of over it.
/// When stdout is not a terminal its bytes pass through untouched.
/// </summary>
internal sealed class StdoutWriter(TextWriter inner, bool terminal) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        StatusDisplay? live = terminal ? StatusDisplay.Active : null;
        live?.BeforeStdout();
        inner.Write(value);
        inner.Flush();
        if (terminal)
        {
            int nl = value.LastIndexOf('\n');
            StatusDisplay.StdoutColumn = nl < 0 ? StatusDisplay.StdoutColumn + value.Length : value.Length - nl - 1;
        }
        live?.AfterStdout();
    }

    public override void WriteLine(string? value) => Write((value ?? "") + NewLine);

    public override void Flush() => inner.Flush();
}
