using System.CommandLine;
using System.Globalization;
using Bit1HW.Board;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Flows;
using Bit1HW.HdlGen.Board;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw board build | program | run</c> (docs/board.md): the iCEBreaker bitstream with the UART
/// host link, flashing it, and running a layer on it (or on the simulated board, <c>--port sim</c>).
/// Progress goes to stderr; stdout is the one-line summary.
/// </summary>
internal static class BoardCommand
{
    public const string DefaultOut = "build/board/icebreaker";

    public static Command Create()
    {
        var cmd = new Command("board", "The iCEBreaker: a bitstream with the UART host link, flashing it, running layers on it (docs/board.md).")
            .WithExamples("bit1hw board build --board icebreaker", "bit1hw board program",
                "bit1hw board run --port sim --in build/demo/small.safetensors --out build/board/out.safetensors");
        cmd.Add(Build());
        cmd.Add(ProgramCommand());
        cmd.Add(BoardRunCommand.Create());
        return cmd;
    }

    /// <summary>
    /// The configuration a board is built for when --config is not given: docs/examples/icebreaker-board.json
    /// (16 lanes × 6 rows: the 112-lane icebreaker.json fills all 30 block RAMs, and the UART bridge needs one more).
    /// </summary>
    public static HardwareConfig DefaultConfig()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "examples");
        return HardwareConfig.Load(Path.Combine(dir, "icebreaker-board.json"));
    }

    /// <summary>--config (default: <see cref="DefaultConfig"/>) with the overrides applied.</summary>
    public static HardwareConfig ReadConfig(ParseResult parse, ConfigOptions options)
    {
        string? path = parse.GetValue(options.Config);
        return options.Apply(parse, path is null ? DefaultConfig() : HardwareConfig.Load(path), path ?? "board config");
    }

    /// <summary>Whether the user named a configuration (--config or an override), which the board's must then equal.</summary>
    public static bool ConfigGiven(ParseResult parse, ConfigOptions options) => parse.GetValue(options.Config) is not null || options.AnyOverride(parse);

    public static Option<int> Baud(string description) => Flags.Count("--baud", description, UartLink.DefaultBaud);

    public static UartLink Link(int baud) => new UartLink { Baud = baud }.Validate();

    public const string Icebreaker = "icebreaker", Arty = "arty-a7-35t";

    public static void CheckBoard(string board)
    {
        if (board is not (Icebreaker or Arty))
            throw new UserInputException("--board", $"'{board}' is not a supported board ({Icebreaker}, {Arty})");
    }

    private static Command Build()
    {
        var board = new Option<string>("--board") { Description = "icebreaker (the open flow, writes the .bin) or arty-a7-35t (writes the Vivado project and scripts; Vivado builds the .bit)", DefaultValueFactory = _ => Icebreaker };
        var cfgOpts = new ConfigOptions();
        cfgOpts.Config.Description = "Hardware config JSON (default: docs/examples/icebreaker-board.json, 16 lanes x 6 rows)";
        var baud = Baud("UART rate: the clock (12 MHz) over a whole number of cycles per bit, at least 4, at most 2 % off");
        var outDir = new Option<string?>("--out") { Description = $"Output directory: the .bin, report.json, report.txt, build.sh and work/ (default {DefaultOut}, or build/board/arty-a7-35t)" };
        var seeds = Flags.Count("--seeds", $"nextpnr seeds 1..N; the bitstream is the median seed's (1..{SynthOptions.MaxSeeds})", 1);
        var json = Flags.Json("the report (the contents of report.json)");
        var quiet = Flags.Quiet();
        var targetMhz = new Option<double>("--target-mhz") { Description = "Frequency nextpnr is asked for (the board clock is 12 MHz)", DefaultValueFactory = _ => 12 };
        var cmd = new Command("build", "yosys -> nextpnr-ice40 --asc -> icepack: the bitstream with the UART link, its report and build.sh (arty-a7-35t: the Vivado project).")
            .WithExamples("bit1hw board build --board icebreaker --baud 115200 --out build/board/icebreaker",
                "bit1hw board build --board arty-a7-35t --out build/board/arty");
        cmd.Add(board);
        cfgOpts.AddTo(cmd);
        foreach (Option o in new Option[] { baud, outDir, seeds, targetMhz, json, quiet }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            string boardName = parse.GetValue(board)!;
            CheckBoard(boardName);
            HardwareConfig cfg = ReadConfig(parse, cfgOpts);
            if (boardName == Arty) return WriteArty(cfg, parse.GetValue(baud), parse.GetValue(outDir) ?? "build/board/arty-a7-35t", parse.InvocationConfiguration.Output);
            UartLink link = Link(parse.GetValue(baud));
            var opt = new SynthOptions(SynthTarget.Ice40Up5k) { Seeds = parse.GetValue(seeds), TargetMhz = parse.GetValue(targetMhz) }.Validate();
            string dir = parse.GetValue(outDir) ?? DefaultOut;
            var err = parse.InvocationConfiguration.Error;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string pcf = Path.Combine(AppContext.BaseDirectory, "constraints", BoardBuild.PcfFile);
            BoardBuildResult r;
            using (var status = Flags.Status(parse, parse.GetValue(quiet)))
                r = BoardBuild.Run(cfg, link, opt with { ToolOutput = status.Mode == Terminal.DisplayMode.Live ? status.Detail : null }, pcf, dir, status.Step);
            string reportJson = SynthReportWriter.Json(r.Report), table = SynthReportWriter.Table(r.Report);
            AtomicFile.WriteAllText(Path.Combine(dir, "report.json"), reportJson);
            AtomicFile.WriteAllText(Path.Combine(dir, "report.txt"), table);
            if (!r.MeetsBoardClock) err.WriteLine("bit1hw: warning: the placed design does not meet the board's 12 MHz clock; the bitstream may not work");
            if (parse.GetValue(json))
            {
                parse.InvocationConfiguration.Output.Write(reportJson);
                return 0;
            }
            if (!parse.GetValue(quiet)) err.Write(table);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"board build: {cfg.Tag} at {link.Baud} baud ({link.CyclesPerBit} cycles per bit): {r.BitstreamPath} " +
                $"(Fmax {r.Report.FmaxMhz:0.##} MHz, {r.Report.Pnr?.LogicCells} logic cells) in {clock.Elapsed.TotalSeconds:0} s; commands in {r.ScriptPath}"));
            return 0;
        });
        return cmd;
    }

    /// <summary>The Arty A7-35T: the Vivado project (Verilog, constraints, batch scripts); Vivado itself is not run.</summary>
    private static int WriteArty(HardwareConfig cfg, int baud, string dir, TextWriter o)
    {
        UartLink link = new UartLink { ClockHz = ArtyProject.ClockHz, Baud = baud }.Validate();
        var files = ArtyProject.Generate(cfg, link).Select(f => (f.RelativePath, f.Text)).ToList();
        foreach (string xdc in new[] { ArtyProject.UartXdc, ArtyProject.SelfTestXdc })
            files.Add((xdc, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "constraints", xdc))));
        AtomicFile.WriteDirectory(dir, files, marker: "vivado-uart.tcl");
        string top = ArtyProject.UartTop(cfg, link);
        o.WriteLine($"board build: {cfg.Tag} for the Arty A7-35T at {link.Baud} baud ({link.CyclesPerBit} cycles per bit at 100 MHz): Vivado project in {dir}; " +
            $"build with `cd {dir} && vivado -mode batch -source vivado-uart.tcl`, load with `openFPGALoader -b arty {top}.bit`");
        return 0;
    }

    private static Command ProgramCommand()
    {
        var bin = new Option<string?>("--bin") { Description = $"Bitstream to flash (default: the one .bin in {DefaultOut})" };
        var cmd = new Command("program", "Flash a bitstream into the iCEBreaker with iceprog or openFPGALoader; exit 3 when no board is attached.")
            .WithExamples("bit1hw board program", "bit1hw board program --bin build/board/icebreaker/bit1hw_uart_board_l16_r2_a8_p1_ternary_d104.bin");
        cmd.Add(bin);
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(bin) ?? DefaultBitstream();
            parse.InvocationConfiguration.Output.WriteLine(BoardProgrammer.Program(path, parse.InvocationConfiguration.Error.WriteLine));
            return 0;
        });
        return cmd;
    }

    private static string DefaultBitstream()
    {
        string[] bins = Directory.Exists(DefaultOut) ? Directory.GetFiles(DefaultOut, "*.bin") : [];
        return bins.Length == 1 ? bins[0]
            : throw new UserInputException("--bin", bins.Length == 0
                ? $"no bitstream in {DefaultOut}; run `bit1hw board build --board icebreaker` first or give --bin"
                : $"{DefaultOut} holds {bins.Length} .bin files; say which with --bin");
    }
}
