using System.Diagnostics;
using Bit1HW.Core.Tools;

namespace Bit1HW.Core.Tests;

public class ToolRunnerTests
{
    [Fact]
    public void Streamed_lines_arrive_while_the_tool_is_still_running()
    {
        var seen = new List<(string Line, double Seconds)>();
        var sw = Stopwatch.StartNew();
        ToolResult r = ToolRunner.Run("sh", ["-c", "echo first; echo to-stderr >&2; sleep 2; echo last"], Directory.GetCurrentDirectory(),
            TimeSpan.FromMinutes(1), line => seen.Add((line, sw.Elapsed.TotalSeconds)));
        double exited = sw.Elapsed.TotalSeconds;
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["first", "last", "to-stderr"], seen.Select(s => s.Line).Order(StringComparer.Ordinal));
        Assert.True(seen.Single(s => s.Line == "first").Seconds < exited - 1.5,
            $"'first' arrived at {seen.Single(s => s.Line == "first").Seconds:F2} s, the tool exited at {exited:F2} s: output was buffered");
        Assert.Equal("first\nlast\n", r.Stdout);
        Assert.Equal("to-stderr\n", r.Stderr);
    }

    [Fact]
    public void Without_a_callback_the_output_is_captured_whole()
    {
        ToolResult r = ToolRunner.Run("sh", ["-c", "printf 'a\\nb'; printf 'e' >&2; exit 3"], Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(1));
        Assert.Equal((3, "a\nb", "e"), (r.ExitCode, r.Stdout, r.Stderr));
    }
}
