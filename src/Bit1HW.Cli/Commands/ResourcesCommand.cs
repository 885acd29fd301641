using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Flows.Resources;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw resources</c>: the calibrated resource model (docs/resource-model.md). By default it
/// predicts a configuration's LUTs, FFs, carry cells, block RAM, SPRAM, DSPs (and iCE40 logic cells)
/// on a target without running yosys, with the use of the reference part. <c>--check FILE</c> prints
/// the model's error on every point of a calibration file; <c>--calibrate FILE --out JSON</c> refits
/// the coefficients from one (the shipped ones are embedded at build time).
/// </summary>
internal static class ResourcesCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var target = new Option<string>("--target") { Description = "ice40-up5k (yosys SB_LUT4 before packing, logic cells estimated) or xc7 (yosys LUTs, counted against the XC7A35T)", Required = true };
        var accumulators = VariantOptions.AccumulatorsOption();
        var check = new Option<string?>("--check") { Description = "A calibration CSV (docs/resource-model/<target>.csv): print predicted against measured for every point, and the errors" };
        var calibrate = new Option<string?>("--calibrate") { Description = "A calibration CSV: fit the coefficients to its 'fit' points and write them to --out" };
        var output = new Option<string?>("--out") { Description = "With --calibrate: the coefficient JSON to write (docs/resource-model/<target>.json)" };
        var json = Flags.Json("the prediction");
        var cmd = new Command("resources", "Predict LUTs, FFs, block RAM, SPRAM and DSPs of a configuration on an FPGA without running yosys (calibrated model).")
            .WithExamples("bit1hw resources --target ice40-up5k --config docs/examples/default.json",
                "bit1hw resources --target xc7 --config docs/examples/bench.json --pe mac --json",
                "bit1hw resources --target xc7 --check docs/resource-model/xc7.csv",
                "bit1hw resources --target ice40-up5k --calibrate docs/resource-model/ice40.csv --out docs/resource-model/ice40.json");
        cfgOpts.AddTo(cmd);
        foreach (Option o in new Option[] { target, accumulators, check, calibrate, output, json }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            SynthTarget t = SynthTargets.Parse(parse.GetValue(target)!);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(calibrate) is { } data)
            {
                string outPath = parse.GetValue(output) ?? throw new UserInputException("--out", "--calibrate needs --out (the coefficient JSON to write)");
                var points = CalibrationFile.Read(data);
                var fitted = ResourceCalibration.Fit(t, points.Points, points.Yosys);
                AtomicFile.WriteAllText(outPath, fitted.ToJson());
                o.Write(ResourceErrors.Markdown(ResourceErrors.Of(points.Points, t, fitted)));
                parse.InvocationConfiguration.Error.WriteLine($"resources: coefficients in {outPath}");
                return ExitCodes.Ok;
            }
            if (parse.GetValue(check) is { } file)
            {
                o.Write(ResourceErrors.Markdown(ResourceErrors.Of(CalibrationFile.Read(file).Points, t, ResourceCoefficients.Embedded(t))));
                return ExitCodes.Ok;
            }
            var opt = new SynthOptions(t) { Accumulators = RtlVariant.ParseAccumulators(parse.GetValue(accumulators)!) }.Validate();
            HardwareConfig cfg = cfgOpts.Read(parse, RtlVariant.DefaultConfig(opt.Variant.Target));
            ResourceEstimate e = ResourceModel.Predict(cfg, opt);
            var use = Use(e);
            if (parse.GetValue(json))
                CliJson.Write(o, new
                {
                    target = SynthTargets.Name(t), part = SynthTargets.Part(t), hardware = cfg.Tag, accumulators = RtlVariant.Name(opt.Accumulators),
                    luts = e.Luts, ffs = e.Ffs, carry = e.Carry, brams = e.Brams, sprams = e.Sprams, dsps = e.Dsps, logicCells = e.LogicCells,
                    device = use.Select(u => new { resource = u.Resource, used = u.Used, available = u.Available, percent = u.Percent }),
                });
            else Print(o, cfg, opt, e, use);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static List<DeviceUse> Use(ResourceEstimate e)
    {
        var list = new List<DeviceUse>();
        foreach (var r in SynthTargets.Capacity(e.Target))
        {
            int? used = r.Name switch
            {
                SynthTargets.LogicCells => e.LogicCells,
                SynthTargets.Luts => e.Luts,
                SynthTargets.Ffs => e.Ffs,
                SynthTargets.Brams => e.Brams,
                SynthTargets.Sprams => e.Sprams,
                SynthTargets.Dsps => e.Dsps,
                _ => throw new System.Diagnostics.UnreachableException(r.Name),
            };
            if (used is { } u) list.Add(new DeviceUse(r.Name, u, r.Available, "resource model"));
        }
        return list;
    }

    private static void Print(TextWriter o, HardwareConfig cfg, SynthOptions opt, ResourceEstimate e, IReadOnlyList<DeviceUse> use)
    {
        o.WriteLine($"{cfg.Tag} on {SynthTargets.Part(opt.Target)}, {opt.Variant} RTL: predicted by the resource model (docs/resource-model.md), not synthesized");
        foreach (var u in use)
            o.WriteLine($"  {u.Resource,-12} {u.Used,7} of {u.Available,-6} {Flags.F(u.Percent, "0.0")} %");
        o.WriteLine($"  {"carry cells",-12} {e.Carry,7}");
        if (cfg.IsStreaming)
            o.WriteLine("  a streaming engine: its LUTs are a rough figure, not within 10 % (docs/resource-model.md); block RAM and DSPs are exact");
        if (opt.Target == SynthTarget.Ice40Up5k)
            o.WriteLine("  LUTs are yosys's SB_LUT4 (within 10 % on held-out points); logic cells are estimated from max(LUT4, FF) and placed designs");
    }
}
