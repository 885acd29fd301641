using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;

namespace Bit1HW.Flows.Tests;

public class SimulationFilesTests
{
    private static ProgramImage Image()
    {
        var l = SyntheticLayer.Generate(8, 40, 2, seed: 3);
        var hl = HardwareLayer.Quantize(l.Weight, 8, l.Input, 2, 40, HardwareConfig.Default, WeightScaleMethod.AbsMean);
        return LayerCompiler.Compile(hl.Layer, HardwareConfig.Default).Image;
    }

    [Fact]
    public void A_vcd_gets_a_gtkwave_save_file_beside_it_that_names_it()
    {
        string dir = Directory.CreateTempSubdirectory("bit1hw-simfiles-").FullName;
        try
        {
            SimulationFiles.Run(Image(), Path.Combine(dir, "run.vcd"));
            string save = File.ReadAllText(Path.Combine(dir, "run.gtkw"));
            Assert.Contains("[dumpfile] \"run.vcd\"", save);
            Assert.Contains($"bit1hw_top_{HardwareConfig.Default.Tag}.host_wdata[{HardwareConfig.Default.HostDataBits - 1}:0]", save);
            Assert.Equal(["run.gtkw", "run.vcd"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_vcd_path_ending_in_gtkw_is_refused_before_anything_is_written()
    {
        string dir = Directory.CreateTempSubdirectory("bit1hw-simfiles-").FullName;
        try
        {
            var e = Assert.Throws<UserInputException>(() => SimulationFiles.Run(Image(), Path.Combine(dir, "run.gtkw")));
            Assert.Contains("--vcd", e.Message);
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

public class ScheduleChartTests
{
    [Fact]
    public void The_schedule_chart_has_one_bar_per_instruction_in_its_opcode_lane_and_renders_to_png()
    {
        var l = SyntheticLayer.Generate(8, 40, 2, seed: 3);
        var hl = HardwareLayer.Quantize(l.Weight, 8, l.Input, 2, 40, HardwareConfig.Default, WeightScaleMethod.AbsMean);
        ProgramImage image = LayerCompiler.Compile(hl.Layer, HardwareConfig.Default).Image;
        ScottPlot.Plot plot = ScheduleChart.Build(image);
        var bars = plot.GetPlottables().OfType<ScottPlot.Plottables.BarPlot>().SelectMany(b => b.Bars).ToList();
        Assert.Equal(image.Instructions.Length, bars.Count);
        var macs = image.Instructions.Where(w => Isa.OpcodeOf(w) == Opcode.Mac).Sum(w => (long)Isa.OperandOf(w));
        Assert.Equal(macs, (long)bars.Where(b => b.Position == bars.Max(x => x.Position)).Sum(b => b.Value - b.ValueBase));
        Assert.Equal(image.PredictedCycles, (long)bars.Max(b => b.Value));
        byte[] png = plot.GetImageBytes(ScheduleChart.WidthPixels, ScheduleChart.HeightPixels, ScottPlot.ImageFormat.Png);
        Assert.Equal((byte)'P', png[1]);
    }
}
