using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Board;

namespace Bit1HW.HdlGen.Tests;

public class UartBoardTests
{
    public static TheoryData<int, int, int, string, int> LintCases => new()
    {
        // lanes, rows, actBits, pe, baud (on 12 MHz): one row, odd rows and lanes, 4-bit activations, MAC, slow and fast lines.
        { 16, 2, 8, "ternary", 115_200 },
        { 1, 1, 8, "ternary", 3_000_000 },
        { 7, 3, 4, "ternary", 1_000_000 },
        { 5, 2, 8, "mac", 115_200 },
    };

    [ToolTheory("verilator")]
    [MemberData(nameof(LintCases))]
    public void The_uart_board_design_lints_clean_under_verilator_wall(int lanes, int rows, int actBits, string pe, int baud)
    {
        var cfg = Configs.Small(lanes, rows, actBits, 1, pe == "mac" ? PeKind.Mac : PeKind.Ternary);
        var link = new UartLink { Baud = baud };
        var files = BoardRtl.Generate(cfg, link);
        string dir = Directory.CreateTempSubdirectory("bit1hw-uart-").FullName;
        try
        {
            foreach (var f in files) File.WriteAllText(Path.Combine(dir, f.RelativePath), f.Text);
            Assert.DoesNotContain(files, f => f.Text.Contains("lint_off", StringComparison.Ordinal));
            var r = Tools.Run("verilator", dir, ["--lint-only", "-Wall", "--top-module", BoardRtl.TopModule(cfg, link), .. RtlGenerator.VerilogFiles(files)]);
            Assert.True(r.ExitCode == 0 && (r.Stderr + r.Stdout).Trim().Length == 0, $"{cfg.Tag} at {baud} baud: verilator exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_uart_board_design_is_byte_stable_and_leaves_out_the_self_test_wrapper()
    {
        var cfg = Configs.Small(16, 2);
        var files = BoardRtl.Generate(cfg, UartLink.Default);
        Assert.True(files.SequenceEqual(BoardRtl.Generate(cfg, UartLink.Default)));
        Assert.DoesNotContain(files, f => f.RelativePath == RtlGenerator.BoardModule(cfg) + ".v");
        Assert.Contains(files, f => f.RelativePath == BoardRtl.TopModule(cfg, UartLink.Default) + ".v");
    }

    [Theory]
    [InlineData(6_000_000, "fewer than 4 clock cycles per bit")]
    [InlineData(2_500_000, "4.00 % off")]
    [InlineData(100, "cycles per bit; at most 65535")]
    public void A_baud_rate_the_clock_cannot_make_is_a_user_error_that_says_why(int baud, string expected)
    {
        var e = Assert.Throws<UserInputException>(() => new UartLink { Baud = baud }.Validate());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("--baud: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(115_200, 104, 0.16)]
    [InlineData(921_600, 13, 0.16)]
    [InlineData(3_000_000, 4, 0)]
    public void The_divider_is_the_nearest_integer_and_its_rate_error_is_reported(int baud, int cycles, double errorPercent)
    {
        var link = new UartLink { Baud = baud }.Validate();
        Assert.Equal(cycles, link.CyclesPerBit);
        Assert.Equal(errorPercent, Math.Round(link.ErrorPercent, 2));
    }
}
