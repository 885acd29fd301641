using System.CommandLine;
using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Energy.Reporting;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw compile</c>: quantizes a layer, tiles it onto the engine, schedules and verifies the program.</summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var input = new Option<string>("--in") { Description = "Safetensors layer: F32 'weight' [out, in] and 'input' [tokens, in] (bitlinear format)", Required = true };
        var asm = new Option<string?>("--asm") { Description = "Write the program as assembly text, each line annotated with its start cycle and duration" };
        var image = new Option<string?>("--image") { Description = "Write the program image (.b1img: config, imem, wmem, amem, output map)" };
        var schedule = new Option<string?>("--schedule") { Description = "Write a picture of the schedule (instructions over cycles, PE utilization) as .png or .svg" };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        var json = Flags.Json("the schedule summary");
        var cmd = new Command("compile", "Compile a layer into a verified static schedule for the engine (docs/hardware.md).")
            .WithExamples("bit1hw make-layer --out build/demo/small.safetensors --out-features 32 --in-features 512 --tokens 4",
                "bit1hw compile --in build/demo/small.safetensors --asm build/demo/small.s --image build/demo/small.b1img --schedule build/demo/small-schedule.png");
        cfgOpts.AddTo(cmd);
        foreach (Option opt in new Option[] { input, asm, image, schedule, method, json }) cmd.Add(opt);
        cmd.SetAction(parse =>
        {
            HardwareConfig c = cfgOpts.Read(parse);
            if (parse.GetValue(schedule) is { } picture) ChartFile.CheckPath(picture, "--schedule");
            string inPath = Flags.Path(parse.GetValue(input), "--in");
            HardwareLayer hl = HardwareLayer.Load(inPath, c, LayerFiles.ParseMethod(parse.GetValue(method)!));
            CompiledLayer compiled = LayerCompiler.Compile(hl.Layer, c);
            ProgramImage img = compiled.Image;
            if (parse.GetValue(asm) is { } asmPath) AtomicFile.WriteAllText(asmPath, Assembler.DisassembleWithCycles(img.Instructions, img.Config));
            if (parse.GetValue(image) is { } imgPath) ProgramImageFile.Write(imgPath, img);
            if (parse.GetValue(schedule) is { } schedulePath)
                ChartFile.Save(ScheduleChart.Build(img), schedulePath, ScheduleChart.WidthPixels, ScheduleChart.HeightPixels, "--schedule");
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, Json(img, compiled.Layout));
            else o.WriteLine(Summary(img, compiled.Layout));
            return 0;
        });
        return cmd;
    }

    private static object Json(ProgramImage img, MemoryLayout layout)
    {
        Workload w = img.Workload;
        HardwareConfig c = img.Config;
        return new
        {
            tag = c.Tag,
            tokens = w.Tokens, inFeatures = w.InFeatures, outFeatures = w.OutFeatures,
            rowBlocks = layout.RowBlocks, kTiles = layout.KTiles,
            instructions = img.Instructions.Length, instrDepth = c.InstrDepth,
            weightWords = layout.WeightWords, weightDepth = c.WeightDepth,
            actWords = layout.ActWords, actDepth = c.ActDepth,
            outWords = layout.OutWords, outDepth = c.OutDepth,
            verified = true,
            predictedCycles = img.PredictedCycles,
        };
    }

    public static string Summary(ProgramImage img, MemoryLayout layout)
    {
        Workload w = img.Workload;
        HardwareConfig c = img.Config;
        return string.Create(CultureInfo.InvariantCulture,
            $"compile: {c.Tag}: [{w.Tokens}, {w.InFeatures}] x [{w.OutFeatures}, {w.InFeatures}]^T -> " +
            $"{layout.RowBlocks} row blocks x {layout.KTiles} K tiles x {w.Tokens} tokens; " +
            $"{img.Instructions.Length}/{c.InstrDepth} instructions, {Weights(img, layout)}, " +
            $"amem {layout.ActWords}/{c.ActDepth}, omem {layout.OutWords}/{c.OutDepth} words; " +
            $"verified; predicted {img.PredictedCycles} cycles{(c.IsStreaming ? " + the stall cycles the memory causes" : "")}");
    }

    /// <summary>wmem use, or for a streaming engine the stream it reads through its ring.</summary>
    private static string Weights(ProgramImage img, MemoryLayout layout)
    {
        HardwareConfig c = img.Config;
        if (!c.IsStreaming) return string.Create(CultureInfo.InvariantCulture, $"wmem {layout.WeightWords}/{c.WeightDepth}");
        long words = WeightStream.Words(layout);
        return string.Create(CultureInfo.InvariantCulture,
            $"{words} stream words in {WeightStream.Bursts(words, c)} bursts through a {c.WeightDepth}-word ring");
    }
}
