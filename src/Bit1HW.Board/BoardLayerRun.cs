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
/// the board counted against the compiler's prediction (summed over the programs a layer larger than
/// the board's memories is cut into), where the time went (the link's time,
/// measured on the link's own clock, against the engine's compute time at the board clock), the
/// link statistics, and the first accumulator that differs from the reference (null: bit-exact).
/// </summary>
public sealed record BoardLayerResult(string Port, HardwareConfig Config, UartBoardInfo Info, Workload Shape, int Programs, long Cycles, long PredictedCycles,
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
            w.WriteNumber("programs", Programs);
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
/// and the dequantized output, and compare acc with the software reference BitLinear. A layer larger
/// than the board's memories is cut by the compiler's <see cref="ChunkPlanner"/> (as the decoder's
/// accelerator backends do) into chunks run one after another, all tokens at once when they fit,
/// else token by token; the host adds the K chunks' int32 partial sums, which is exact.
/// </summary>
public static class BoardLayerRun
{
    /// <param name="progress">Gets a line per tenth of the programs when the layer takes more than one.</param>
    public static BoardLayerResult Run(BoardSession session, string port, string inPath, string outPath, WeightScaleMethod method,
        Action<string>? progress = null)
    {
        HardwareConfig cfg = session.Config;
        HardwareLayer hl = HardwareLayer.Load(inPath, cfg, method);
        Layer layer = hl.Layer;
        Workload s = layer.Shape;
        var acc = new int[s.Tokens * s.OutFeatures];
        long cycles = 0, predicted = 0;
        int programs = 0;
        TimeSpan linkTime = TimeSpan.Zero;
        var pieces = Pieces(layer, cfg).ToList();
        foreach (var (piece, token0, chunk) in pieces)
        {
            if (pieces.Count > 1 && programs % Math.Max(1, pieces.Count / 10) == 0)
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"board run: program {programs + 1} of {pieces.Count} (rows {chunk.Row0}..{chunk.Row0 + chunk.Rows - 1}, columns {chunk.Col0}..{chunk.Col0 + chunk.Cols - 1}), link {linkTime.TotalSeconds:0.0} s so far"));
            ProgramImage image = LayerCompiler.Compile(piece, cfg).Image;
            BoardRun run = session.Run(image);
            cycles += run.Cycles;
            predicted += image.PredictedCycles;
            linkTime += run.LinkTime;
            programs++;
            for (int t = 0; t < piece.Shape.Tokens; t++)
                for (int r = 0; r < chunk.Rows; r++)
                    acc[(token0 + t) * s.OutFeatures + chunk.Row0 + r] += run.Acc[t * chunk.Rows + r];
        }
        long[] shape = [s.Tokens, s.OutFeatures];
        new SafeTensorsFile()
            .Add(SafeTensor.FromInt32s("acc", shape, acc))
            .Add(SafeTensor.FromSingles("output", shape, hl.Dequantize(acc)))
            .Write(outPath);
        return new BoardLayerResult(port, cfg, session.Client.Info, s, programs, cycles, predicted, linkTime, session.Client.Stats,
            FirstMismatch(acc, hl.Reference().Acc, s.OutFeatures));
    }

    /// <summary>The programs a layer takes on <paramref name="cfg"/>: the whole layer when it fits, else each chunk with all tokens, or token by token.</summary>
    internal static IEnumerable<(Layer Piece, int Token0, Chunk Chunk)> Pieces(Layer layer, HardwareConfig cfg)
    {
        Workload s = layer.Shape;
        var whole = new Chunk(0, s.OutFeatures, 0, s.InFeatures);
        if (Fits(s, cfg))
        {
            yield return (layer, 0, whole);
            yield break;
        }
        foreach (Chunk c in new ChunkPlanner(cfg).Plan(s.OutFeatures, s.InFeatures))
        {
            bool allTokens = Fits(new Workload(s.Tokens, c.Rows, c.Cols), cfg);
            for (int t0 = 0; t0 < s.Tokens; t0 += allTokens ? s.Tokens : 1)
                yield return (Slice(layer, c, t0, allTokens ? s.Tokens : 1), t0, c);
        }
    }

    /// <summary>Whether a workload fits every memory of <paramref name="cfg"/> (the compiler's own checks, MemoryLayout and instrDepth).</summary>
    internal static bool Fits(Workload w, HardwareConfig cfg)
    {
        long rowBlocks = (w.OutFeatures + cfg.Rows - 1) / cfg.Rows, kTiles = (w.InFeatures + cfg.Lanes - 1) / cfg.Lanes;
        if (w.InFeatures > cfg.MaxK || rowBlocks * kTiles > cfg.WeightDepth || w.Tokens * kTiles > cfg.ActDepth || w.Tokens * rowBlocks > cfg.OutDepth)
            return false;
        return LayerCompiler.InstructionCount(MemoryLayout.For(w, cfg), cfg) <= cfg.InstrDepth;
    }

    private static Layer Slice(Layer layer, Chunk c, int token0, int tokens)
    {
        int inF = layer.Shape.InFeatures;
        var w = new sbyte[c.Rows * c.Cols];
        for (int r = 0; r < c.Rows; r++) layer.Weights.AsSpan((c.Row0 + r) * inF + c.Col0, c.Cols).CopyTo(w.AsSpan(r * c.Cols));
        var x = new sbyte[tokens * c.Cols];
        for (int t = 0; t < tokens; t++) layer.Activations.AsSpan((token0 + t) * inF + c.Col0, c.Cols).CopyTo(x.AsSpan(t * c.Cols));
        return new Layer(new Workload(tokens, c.Rows, c.Cols), w, x);
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
        $"in {r.Programs} program{(r.Programs == 1 ? "" : "s")}, {r.Cycles} cycles (predicted {r.PredictedCycles}, {r.ComputeSeconds * 1e3:0.###} ms of compute), link {r.LinkTime.TotalSeconds:0.###} s; " +
        $"{r.Stats}; {(r.Mismatch is null ? "bit-exact with bitlinear" : "MISMATCH")} -> {outPath}");
}
