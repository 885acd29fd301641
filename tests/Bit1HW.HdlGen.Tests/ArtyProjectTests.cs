using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Board;

namespace Bit1HW.HdlGen.Tests;

public class ArtyProjectTests
{
    private static readonly HardwareConfig Cfg = Configs.Small(16, 2);
    private static readonly UartLink Link = new UartLink { ClockHz = ArtyProject.ClockHz, Baud = 115_200 }.Validate();

    [ToolFact("verilator")]
    public void Both_arty_tops_lint_clean_under_verilator_wall()
    {
        var files = ArtyProject.Generate(Cfg, Link);
        string dir = Directory.CreateTempSubdirectory("bit1hw-arty-").FullName;
        try
        {
            foreach (var f in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, f.RelativePath))!);
                File.WriteAllText(Path.Combine(dir, f.RelativePath), f.Text);
            }
            string[] verilog = files.Where(f => f.RelativePath.EndsWith(".v", StringComparison.Ordinal)).Select(f => f.RelativePath).ToArray();
            foreach (string top in new[] { ArtyProject.UartTop(Cfg, Link), "bit1hw_arty_" + RtlGenerator.BoardModule(Cfg)["bit1hw_".Length..] })
            {
                var r = Tools.Run("verilator", dir, ["--lint-only", "-Wall", "--top-module", top, .. verilog]);
                Assert.True(r.ExitCode == 0 && (r.Stderr + r.Stdout).Trim().Length == 0, $"{top}: verilator exit {r.ExitCode}\n{r.Stderr}{r.Stdout}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_arty_tops_drive_the_active_high_leds_with_the_inverse_of_the_active_low_board_outputs()
    {
        var files = ArtyProject.Generate(Cfg, Link);
        string uart = files.Single(f => f.RelativePath == $"rtl/{ArtyProject.UartTop(Cfg, Link)}.v").Text;
        Assert.Contains("assign led_ready = ~led_ready_n;", uart, StringComparison.Ordinal);
        Assert.Contains("assign led_error = ~led_error_n;", uart, StringComparison.Ordinal);
        Assert.Contains(".uart_tx(uart_tx)", uart, StringComparison.Ordinal);
        string selfTest = files.Single(f => f.RelativePath.StartsWith("rtl/bit1hw_arty_board_", StringComparison.Ordinal)).Text;
        Assert.Contains("assign led_pass = ~led_pass_n;", selfTest, StringComparison.Ordinal);
        Assert.Contains("assign led_fail = ~led_fail_n;", selfTest, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vivado_scripts_name_each_top_and_its_constraints_and_write_the_bitstream()
    {
        var files = ArtyProject.Generate(Cfg, Link);
        string tcl = files.Single(f => f.RelativePath == "vivado-uart.tcl").Text;
        string top = ArtyProject.UartTop(Cfg, Link);
        Assert.Contains($"synth_design -top {top} -part xc7a35ticsg324-1L", tcl, StringComparison.Ordinal);
        Assert.Contains("read_xdc arty-a7-35t-uart.xdc", tcl, StringComparison.Ordinal);
        Assert.Contains($"write_bitstream -force {top}.bit", tcl, StringComparison.Ordinal);
        Assert.Contains("read_xdc arty-a7-35t.xdc", files.Single(f => f.RelativePath == "vivado-selftest.tcl").Text, StringComparison.Ordinal);
        Assert.EndsWith("_d868", top, StringComparison.Ordinal);
    }
}
