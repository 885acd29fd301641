using System.Globalization;
using System.Text;

namespace Bit1HW.HdlGen.Synth;

/// <summary>
/// Everything <see cref="SynthFlow.Run(SynthDesign, SynthOptions, string, Action{string})"/> does to a
/// design, as text: every Verilog file it writes, the yosys script, and on iCE40 with place and
/// route the nextpnr-ice40 arguments of each seed and the constraint file's contents (not its
/// path, so the same pins at another path give the same text). Two runs with the same recipe and
/// the same tool versions give the same report; a synthesis sweep hashes it as its cache key.
/// Options that change only what is shown or kept (tool output streaming, .asc files) are left out.
/// </summary>
public static class SynthRecipe
{
    public static string Describe(SynthDesign d, SynthOptions opt)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"target {SynthTargets.Name(opt.Target)}\ntop {d.Top}\narray {d.Array}\nlanes {d.LanesTotal}\n");
        foreach (var f in d.Files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
            s.Append(CultureInfo.InvariantCulture, $"file {f.RelativePath} {f.Text.Length}\n").Append(f.Text).Append('\n');
        s.Append("yosys\n").Append(YosysRun.Script(d, opt.Target, opt.Faults)).Append('\n');
        if (opt.Target == SynthTarget.Ice40Up5k && opt.PlaceAndRoute)
        {
            for (int seed = 1; seed <= opt.Seeds; seed++)
                s.Append("nextpnr-ice40 ").AppendJoin(' ', NextpnrRun.Args("constraints.pcf", opt.TargetMhz, seed, asc: null)).Append('\n');
            string pcf = File.Exists(opt.PcfPath) ? File.ReadAllText(opt.PcfPath) : $"(missing: {opt.PcfPath})";
            s.Append("constraints.pcf\n").Append(pcf).Append('\n');
        }
        return s.ToString();
    }
}
