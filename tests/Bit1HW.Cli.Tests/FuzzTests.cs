using System.Globalization;
using Xunit.Abstractions;

namespace Bit1HW.Cli.Tests;

/// <summary>
/// The CI fuzz suite (docs/verification.md, "Robustness"): for every input format, seeded mutated
/// files through the real commands, each in a worker process with a heap limit and a timeout; not
/// one crash, hang, leftover file, multi-line message or unexpected exit code. About 10 s per
/// format. The seed is printed; BIT1HW_SEED replays or explores another one.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int CasesPerFormat = 600;

    private static readonly string[] FormatNames =
        ["safetensors", "gguf-tq1", "gguf-tq2", "gguf-i2s", "hw-config", "model-config", "node", "sim-report", "b1img", "asm"];

    public static TheoryData<string> Formats => new(FormatNames);

    private static (int Exit, string Out) Fuzz(params string[] args)
    {
        var (exit, stdout, stderr) = Bit1hw.Run(["fuzz", .. args]);
        return (exit, stdout + stderr);
    }

    [Fact]
    public void The_formats_fuzzed_here_are_every_format_the_command_knows()
    {
        var (exit, text) = Fuzz("--format", "no-such-format");
        Assert.Equal(2, exit);
        string known = text[(text.IndexOf("is not one of ", StringComparison.Ordinal) + "is not one of ".Length)..].Trim();
        Assert.Equal(FormatNames, known.Split(", "));
    }

    /// <summary>The numbers of a format's row: cases, runs, exit 0, exit 2, crashes, hangs, leftovers, bad messages, mismatches.</summary>
    private static long[] Row(string text, string format)
    {
        string line = text.Split('\n').Single(l => l.StartsWith(format + " ", StringComparison.Ordinal));
        return [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..10].Select(x => long.Parse(x, CultureInfo.InvariantCulture))];
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_mutated_file_gives_a_result_or_a_one_line_error_and_leaves_nothing_behind(string format)
    {
        int seed = TestSeed.Seed(20261130, output);
        var (exit, text) = Fuzz("--format", format, "--cases", CasesPerFormat.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture));
        output.WriteLine(text);
        Assert.True(exit == 0, $"seed {seed} (replay: BIT1HW_SEED={seed}):\n{text}");
        long[] row = Row(text, format);
        Assert.Equal(CasesPerFormat, row[0]);
        Assert.Equal([0, 0, 0, 0, 0], row[4..]);
        Assert.True(row[2] > 0 && row[3] > row[1] / 2, $"the mutations should mostly be rejected and sometimes still valid:\n{text}");
    }

    [Theory]
    [InlineData("crash", 4)]
    [InlineData("oom", 4)]
    [InlineData("die", 4)]
    [InlineData("hang", 5)]
    [InlineData("leftover", 6)]
    [InlineData("message", 7)]
    public void The_harness_catches_each_kind_of_planted_failure(string plant, int column)
    {
        var (exit, text) = Fuzz("--format", "asm", "--cases", "4", "--seed", "1", "--plant", plant, "--timeout-seconds", "5", "--memory-mb", "256");
        output.WriteLine(text);
        Assert.Equal(1, exit);
        long[] row = Row(text, "asm");
        long[] failures = row[4..];
        Assert.Equal(1, row[column]);
        Assert.Equal(1, failures.Sum());
        Assert.Contains("replay: bit1hw fuzz --format asm --seed 1 --case 1", text);
    }
}
