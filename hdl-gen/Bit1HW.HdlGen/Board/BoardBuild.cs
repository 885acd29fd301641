using System.Globalization;
using System.Text;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Tools;
using Bit1HW.HdlGen.Gen;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.HdlGen.Board;

/// <summary>What <c>bit1hw board build</c> produced: the bitstream, the flow's report and the script that rebuilds it.</summary>
public sealed record BoardBuildResult(string BitstreamPath, string ScriptPath, string TopModule, SynthReport Report, int BitstreamSeed, bool MeetsBoardClock);

/// <summary>
/// From a configuration to an iCEBreaker bitstream: the UART board design (<see cref="BoardRtl"/>)
/// goes through the synth flow unchanged (<see cref="SynthFlow"/>: yosys synth_ice40 with its
/// netlist checks, nextpnr-ice40 on the board's pins, one run per seed, the same report parsing),
/// with nextpnr also writing each seed's placed design; the median seed's is packed by icepack.
/// The work directory keeps every input and log; build.sh repeats the exact tool commands.
/// </summary>
public static class BoardBuild
{
    public const string PcfFile = "icebreaker.pcf";

    /// <param name="pcfPath">constraints/icebreaker.pcf; copied into the work directory so the script is self-contained.</param>
    public static BoardBuildResult Run(HardwareConfig cfg, UartLink link, SynthOptions options, string pcfPath, string outDir, Action<string> progress)
    {
        cfg.Validate();
        link.Validate();
        if (!File.Exists(pcfPath)) throw new UserInputException("constraints", $"{pcfPath} does not exist");
        ToolRunner.Require("icepack");
        string work = Path.Combine(outDir, "work");
        Directory.CreateDirectory(work);
        File.Copy(pcfPath, Path.Combine(work, PcfFile), overwrite: true);
        string top = BoardRtl.TopModule(cfg, link);
        var design = new SynthDesign(cfg.Tag, BoardRtl.Generate(cfg, link, variant: new RtlVariant(RtlTarget.Ice40Up5k)), top, RtlGenerator.ArrayModule(cfg), cfg.Lanes * cfg.Rows);
        var opt = options with { Target = SynthTarget.Ice40Up5k, PlaceAndRoute = true, PcfPath = PcfFile, WriteAsc = true };
        SynthReport report = SynthFlow.Run(design, opt, work, progress);
        if (report.Pnr?.Median is not { } median)
            throw new ExternalToolException("nextpnr-ice40", $"no placed design, so no bitstream: {report.Note}");

        string bin = Path.Combine(outDir, top + ".bin");
        progress($"board: icepack {NextpnrRun.AscFile(median.Seed)} (seed {median.Seed}, the median) -> {bin}");
        var p = ToolRunner.Run("icepack", [NextpnrRun.AscFile(median.Seed), Path.GetFullPath(bin)], work, TimeSpan.FromMinutes(5));
        if (p.ExitCode != 0 || !File.Exists(bin))
            throw new ExternalToolException("icepack", $"exit {p.ExitCode}: {p.Stderr.Trim()}");
        string script = Path.Combine(outDir, "build.sh");
        File.WriteAllText(script, Script(top, opt, median.Seed));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return new BoardBuildResult(bin, script, top, report, median.Seed, median.FmaxMhz >= link.ClockHz / 1e6);
    }

    /// <summary>The exact commands of the flow, run from the work directory: yosys, one nextpnr-ice40 per seed, icepack of the chosen seed.</summary>
    internal static string Script(string top, SynthOptions opt, int seed)
    {
        var s = new StringBuilder();
        s.Append("#!/bin/sh\n");
        s.Append(CultureInfo.InvariantCulture, $"# Rebuilds {top}.bin from the generated Verilog in work/ with the commands bit1hw board build ran.\n");
        s.Append(CultureInfo.InvariantCulture, $"# nextpnr ran {opt.Seeds} seed(s); the bitstream is the median seed's ({seed}).\n");
        s.Append("set -e\ncd \"$(dirname \"$0\")/work\"\n");
        s.Append("yosys -q -l yosys.log -s synth.ys\n");
        for (int i = 1; i <= opt.Seeds; i++)
            s.Append("nextpnr-ice40 ").Append(string.Join(' ', NextpnrRun.Args(PcfFile, opt.TargetMhz, i, NextpnrRun.AscFile(i)))).Append('\n');
        s.Append(CultureInfo.InvariantCulture, $"icepack {NextpnrRun.AscFile(seed)} ../{top}.bin\n");
        return s.ToString();
    }
}
