namespace Bit1HW.Core.Hardware;

/// <summary>The shape of one BitLinear layer run: y[tokens, outFeatures] = x[tokens, inFeatures] · Wᵀ.</summary>
public readonly record struct Workload(int Tokens, int OutFeatures, int InFeatures);

/// <summary>
/// Everything the host loads into the engine for one layer and needs to read the result back:
/// the configuration, the instruction words (imem), the weight and activation memory contents, the
/// workload shape, where each output element [t, o] lives in the output buffer, and the cycle count
/// the compiler predicts (N = FetchCycles + Σ InstructionCycles). Shared as data by the compiler (which fills it),
/// the simulator, the Verilator harness and the CLI; the constructor only checks that the parts fit
/// the configuration.
/// </summary>
public sealed class ProgramImage
{
    public HardwareConfig Config { get; }
    public uint[] Instructions { get; }
    public MemoryImage Weights { get; }
    public MemoryImage Activations { get; }
    public Workload Workload { get; }
    /// <summary>Output word of element [t, o] at index t · OutFeatures + o.</summary>
    public int[] OutputWord { get; }
    /// <summary>Row (accumulator) within <see cref="OutputWord"/> of element [t, o].</summary>
    public int[] OutputRow { get; }
    public long PredictedCycles { get; }
    /// <summary>
    /// A streaming engine's weights (docs/hardware.md, "Weight streaming over AXI"): the external
    /// memory its program's SETS/LOAD read, whose <see cref="ExternalMemory.BaseAddress"/> is the
    /// <c>weight_base</c> the host sets. Null for a host-fed engine; for a streaming one
    /// <see cref="Weights"/> is empty (the ring is filled by the stream engine, not the host), and
    /// <see cref="PredictedCycles"/> is N_static (the stall cycles depend on the memory).
    /// </summary>
    public ExternalMemory? External { get; }

    public ProgramImage(HardwareConfig config, uint[] instructions, MemoryImage weights, MemoryImage activations,
        Workload workload, int[] outputWord, int[] outputRow, long predictedCycles, ExternalMemory? external = null)
    {
        Config = config;
        Instructions = instructions;
        Weights = weights;
        Activations = activations;
        Workload = workload;
        OutputWord = outputWord;
        OutputRow = outputRow;
        PredictedCycles = predictedCycles;
        External = external;
        CheckShapes();
    }

    /// <summary>Output buffer word/row of element [t, o].</summary>
    public (int Word, int Row) OutputLocation(int token, int outFeature)
    {
        int i = token * Workload.OutFeatures + outFeature;
        return (OutputWord[i], OutputRow[i]);
    }

    private void CheckShapes()
    {
        const string s = "program image";
        HardwareConfig c = Config;
        if (Instructions.Length is 0 || Instructions.Length > c.InstrDepth)
            throw new UserInputException(s, $"{Instructions.Length} instructions; the instruction memory holds 1..{c.InstrDepth}");
        Expect(s + " weights", Weights, c.WeightWordBits, c.WeightDepth);
        Expect(s + " activations", Activations, c.ActWordBits, c.ActDepth);
        if (c.IsStreaming != External is not null)
            throw new UserInputException(s, c.IsStreaming ? "a streaming config needs the external memory its weights stream from"
                : "external weight memory given for a host-fed config (no 'stream' object)");
        if (c.IsStreaming && Weights.WrittenWords != 0)
            throw new UserInputException(s, $"{Weights.WrittenWords} weight words for the host to write, but a streaming engine's ring is filled by its stream engine");
        Workload w = Workload;
        if (w.Tokens < 1 || w.OutFeatures < 1 || w.InFeatures < 1)
            throw new UserInputException(s, $"workload {w} must have every dimension >= 1");
        long n = (long)w.Tokens * w.OutFeatures;
        if (OutputWord.Length != n || OutputRow.Length != n)
            throw new UserInputException(s, $"output placement has {OutputWord.Length}/{OutputRow.Length} entries, tokens × outFeatures = {n} expected");
        for (int i = 0; i < n; i++)
        {
            if ((uint)OutputWord[i] >= (uint)c.OutDepth || (uint)OutputRow[i] >= (uint)c.Rows)
                throw new UserInputException(s, $"output element {i} placed at word {OutputWord[i]} row {OutputRow[i]}, outside {c.OutDepth} words × {c.Rows} rows");
        }
        if (PredictedCycles < c.FetchCycles + 1)
            throw new UserInputException(s, $"predicted cycles {PredictedCycles} < {c.FetchCycles + 1} (the fetch cycles and a HALT)");
    }

    private static void Expect(string what, MemoryImage m, int wordBits, int depth)
    {
        if (m.WordBits != wordBits || m.Depth != depth)
            throw new UserInputException(what, $"{m.Depth} words × {m.WordBits} bits, but the config has {depth} × {wordBits}");
    }
}
