using System.Globalization;
using System.Text;
using System.Text.Json;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Core.Numerics;
using Bit1HW.Flows;

namespace Bit1HW.Board;

/// <summary>
/// What <c>bit1hw board run</c> did: the layer, the board's configuration and link, the busy cycles
/// the board counted against the compiler's prediction, where the time went (the link's time,
/// measured on the link's own clock, against the engine's compute time at the board clock), the
/// link statistics, and the first accumulator that differs from the reference (null: bit-exact).
/// </summary>
public sealed record BoardLayerResult(string Port, HardwareConfig Config, UartBoardInfo Info, Workload Shape, long Cycles, long PredictedCycles,
    TimeSpan LinkTime, LinkStats Stats, (int Token, int OutFeature, int Board, int Reference)? Mismatch)
{
    public double ComputeSeconds => (double)Cycles / Info.ClockHz;
    public double Baud => (double)Info.ClockHz / Info.CyclesPerBit;

    /// <summary>The report JSON (fixed key order; docs/board.md, "board run").</summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("port", Port);
            w.WriteString("config", Config.Tag);
            w.WriteNumber("clockHz", Info.ClockHz);
            w.WriteNumber("cyclesPerBit", Info.CyclesPerBit);
            w.WriteNumber("baud", Math.Round(Baud, 1));
            w.WriteNumber("tokens", Shape.Tokens);
            w.WriteNumber("outFeatures", Shape.OutFeatures);
            w.WriteNumber("inFeatures", Shape.InFeatures);
            w.WriteNumber("cycles", Cycles);
            w.WriteNumber("predictedCycles", PredictedCycles);
            w.WriteNumber("computeSeconds", ComputeSeconds);
            w.WriteNumber("linkSeconds", LinkTime.TotalSeconds);
            w.WritePropertyName("link");
            Stats.WriteJson(w);
            w.WriteBoolean("bitExact", Mismatch is null);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}

/// <summary>
/// <c>bit1hw board run</c> as a library call: quantize a float layer file for the board's own
/// configuration (read from the board's INFO), compile it, load and run it over the link, write acc
/// and the dequantized output, and compare acc with the software reference BitLinear.
/// </summary>
public static class BoardLayerRun
{
    public static BoardLayerResult Run(BoardSession session, string port, string inPath, string outPath, WeightScaleMethod method)
    {
        HardwareConfig cfg = session.Config;
        HardwareLayer hl = HardwareLayer.Load(inPath, cfg, method);
        ProgramImage image = LayerCompiler.Compile(hl.Layer, cfg).Image;
        BoardRun run = session.Run(image);
        Workload s = hl.Layer.Shape;
        long[] shape = [s.Tokens, s.OutFeatures];
        new SafeTensorsFile()
            .Add(SafeTensor.FromInt32s("acc", shape, run.Acc))
            .Add(SafeTensor.FromSingles("output", shape, hl.Dequantize(run.Acc)))
            .Write(outPath);
        return new BoardLayerResult(port, cfg, session.Client.Info, s, run.Cycles, image.PredictedCycles, run.LinkTime, session.Client.Stats,
            FirstMismatch(run.Acc, hl.Reference().Acc, s.OutFeatures));
    }

    internal static (int, int, int, int)? FirstMismatch(int[] board, int[] reference, int outFeatures)
    {
        for (int i = 0; i < reference.Length; i++)
            if (board[i] != reference[i]) return (i / outFeatures, i % outFeatures, board[i], reference[i]);
        return null;
    }

    /// <summary>The one-line summary the command prints.</summary>
    public static string Summary(BoardLayerResult r, string outPath) => string.Create(CultureInfo.InvariantCulture,
        $"board run: {r.Config.Tag} over {r.Port} at {r.Baud:0} baud: [{r.Shape.Tokens}, {r.Shape.InFeatures}] x [{r.Shape.OutFeatures}, {r.Shape.InFeatures}] " +
        $"in {r.Cycles} cycles (predicted {r.PredictedCycles}, {r.ComputeSeconds * 1e3:0.###} ms of compute), link {r.LinkTime.TotalSeconds:0.###} s; " +
        $"{r.Stats}; {(r.Mismatch is null ? "bit-exact with bitlinear" : "MISMATCH")} -> {outPath}");
}
