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
        var config = new Option<string?>("--config") { Description = "The board's hardware config: checked against the bitstream's, or the design simulated with --port sim (default: as board build)" };
        var baud = new Option<int>("--baud") { Description = "UART rate the bitstream was built for", DefaultValueFactory = _ => UartLink.DefaultBaud };
        var attempts = new Option<int>("--attempts") { Description = "Tries per frame before giving up (1..100)", DefaultValueFactory = _ => 8 };
        var method = new Option<string>("--method") { Description = "Weight scale: absmean or median", DefaultValueFactory = _ => "absmean" };
        var cmd = new Command("run", "Load a layer onto the board, run it, read the results back and check them against 'bit1hw bitlinear' bit for bit.\n\n" +
            "Examples:\n  bit1hw board run --port /dev/ttyUSB1 --in build/demo/small.safetensors --out build/board/out.safetensors --report build/board/run.json\n" +
            "  bit1hw board run --port sim --in build/demo/small.safetensors --out build/board/out.safetensors")
        {
            port, input, output, report, config, baud, attempts, method,
        };
        cmd.SetAction(parse =>
        {
            string portName = Flags.Path(parse.GetValue(port), "--port");
            string inPath = Flags.Path(parse.GetValue(input), "--in"), outPath = Flags.Path(parse.GetValue(output), "--out");
            if (!File.Exists(inPath)) throw new UserInputException("--in", $"{inPath} does not exist");
            var scale = LayerFiles.ParseMethod(parse.GetValue(method)!);
            string? cfgPath = parse.GetValue(config);
            HardwareConfig cfg = BoardCommand.ReadConfig(cfgPath);
            UartLink link = BoardCommand.Link(parse.GetValue(baud));
            var err = parse.InvocationConfiguration.Error;
            err.WriteLine(portName == BoardLinks.Simulated
                ? $"board run: building or loading the simulated board ({cfg.Tag}, {link.CyclesPerBit} cycles per bit)"
                : $"board run: connecting to {portName} at {link.Baud} baud");
            using BoardSession session = BoardSession.Open(BoardLinks.Open(portName, link, cfg, err), link, parse.GetValue(attempts));
            if (cfgPath is not null) session.CheckConfig(cfg, "--config");
            BoardLayerResult r = BoardLayerRun.Run(session, portName, inPath, outPath, scale, err.WriteLine);
            if (parse.GetValue(report) is { } reportPath) AtomicFile.WriteAllText(reportPath, r.ToJson());
            parse.InvocationConfiguration.Output.WriteLine(BoardLayerRun.Summary(r, outPath));
            if (r.Mismatch is not { } m) return ExitCodes.Ok;
            err.WriteLine($"board run: MISMATCH at acc[{m.Token}, {m.OutFeature}]: board {m.Board}, reference BitLinear {m.Reference}");
            return ExitCodes.Mismatch;
        });
        return cmd;
    }
}
