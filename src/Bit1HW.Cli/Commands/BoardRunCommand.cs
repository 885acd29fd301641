using System.CommandLine;
using Bit1HW.Board;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Flows;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>bit1hw board run</c>: a layer on the board over its UART (or on the simulated board with
/// <c>--port sim</c>), checked bit for bit against the reference BitLinear; exit 1 on a mismatch.
/// </summary>
internal static class BoardRunCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial device of the board (iCEBreaker: usually /dev/ttyUSB1), or 'sim' for the board design under Verilator", Required = true };
        var input = new Option<string>("--in") { Description = "Safetensors layer (bitlinear format: weight [out, in], input [tokens, in])", Required = true };
        var output = new Option<string>("--out") { Description = "Safetensors result: acc I32 [tokens, out], output F32 [tokens, out]", Required = true };
        var report = new Option<string?>("--report") { Description = "Write the run report JSON: cycles, link time, bytes, retries by reason" };
        var cfgOpts = new ConfigOptions();
        cfgOpts.Config.Description = "The board's hardware config: checked against the bitstream's, or the design simulated with --port sim (default: as board build)";
        var baud = BoardCommand.Baud("UART rate the bitstream was built for");
        var attempts = Flags.Count("--attempts", "Tries per frame before giving up (1..100)", 8);
        var json = Flags.Json("the run report");
        var quiet = Flags.Quiet();
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        var cmd = new Command("run", "Load a layer onto the board, run it, read the results back and check them against 'bit1hw bitlinear' bit for bit.")
            .WithExamples("bit1hw board run --port /dev/ttyUSB1 --in build/demo/small.safetensors --out build/board/out.safetensors --report build/board/run.json",
                "bit1hw board run --port sim --in build/demo/small.safetensors --out build/board/out.safetensors");
        foreach (Option o in new Option[] { port, input, output, report }) cmd.Add(o);
        cfgOpts.AddTo(cmd);
        foreach (Option o in new Option[] { baud, attempts, method, json, quiet }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            string portName = Flags.Path(parse.GetValue(port), "--port");
            string inPath = Flags.Path(parse.GetValue(input), "--in"), outPath = Flags.Path(parse.GetValue(output), "--out");
            if (!File.Exists(inPath)) throw new UserInputException("--in", $"{inPath} does not exist");
            var scale = LayerFiles.ParseMethod(parse.GetValue(method)!);
            HardwareConfig cfg = BoardCommand.ReadConfig(parse, cfgOpts);
            UartLink link = BoardCommand.Link(parse.GetValue(baud));
            var err = parse.InvocationConfiguration.Error;
            TextWriter progress = parse.GetValue(quiet) ? TextWriter.Null : err;
            progress.WriteLine(portName == BoardLinks.Simulated
                ? $"board run: building or loading the simulated board ({cfg.Tag}, {link.CyclesPerBit} cycles per bit)"
                : $"board run: connecting to {portName} at {link.Baud} baud");
            using BoardSession session = BoardSession.Open(BoardLinks.Open(portName, link, cfg, progress), link, parse.GetValue(attempts));
            if (BoardCommand.ConfigGiven(parse, cfgOpts)) session.CheckConfig(cfg, "--config");
            BoardLayerResult r = BoardLayerRun.Run(session, portName, inPath, outPath, scale, progress.WriteLine);
            if (parse.GetValue(report) is { } reportPath) AtomicFile.WriteAllText(reportPath, r.ToJson());
            parse.InvocationConfiguration.Output.Write(parse.GetValue(json) ? r.ToJson() : BoardLayerRun.Summary(r, outPath) + "\n");
            if (r.Mismatch is not { } m) return ExitCodes.Ok;
            err.WriteLine($"board run: MISMATCH at acc[{m.Token}, {m.OutFeature}]: board {m.Board}, reference BitLinear {m.Reference}");
            return ExitCodes.Mismatch;
        });
        return cmd;
    }
}
