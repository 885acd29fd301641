namespace Bit1HW.Core.Hardware;

/// <summary>The shape of one BitLinear layer run: y[tokens, outFeatures] = x[tokens, inFeatures] · Wᵀ.</summary>
public readonly record struct Workload(int Tokens, int OutFeatures, int InFeatures);

/// <summary>
/// Everything the host loads into the engine for one layer and needs to read the result back:
/// the configuration, the instruction words (imem), the weight and activation memory contents, the
/// workload shape, where each output element [t, o] lives in the output buffer, and the cycle count
/// the compiler predicts (N = FetchCycles + Σ InstructionCycles). Shared as data by the compiler (which fills it),
/// the simulator, the Verilator harness and the CLI; the constructor only checks that the parts fit
/// the configuration. A streaming configuration's image (docs/hardware.md, "Weight streaming over
/// AXI") has no host-written weights: they are in <see cref="External"/>, read from
/// <see cref="WeightBase"/> (the <c>weight_base</c> port) on; a host-fed image has neither.
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
    /// <summary>Streaming images only: the external memory the engine's AXI master reads.</summary>
    public ExternalMemory? External { get; }
    /// <summary>Streaming images only: the byte address of stream burst 0 (<c>weight_base</c>), burst-aligned.</summary>
    public ulong WeightBase { get; }

    public ProgramImage(HardwareConfig config, uint[] instructions, MemoryImage weights, MemoryImage activations,
        Workload workload, int[] outputWord, int[] outputRow, long predictedCycles,
        ExternalMemory? external = null, ulong weightBase = 0)
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
        WeightBase = weightBase;
        CheckShapes();
        CheckStream();
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

    private void CheckStream()
    {
        const string s = "program image";
        if (Config.Stream is not { } st)
        {
            if (External is not null || WeightBase != 0)
                throw new UserInputException(s, "external memory and a weight base need a streaming config (a 'stream' object)");
            return;
        }
        if (External is null)
            throw new UserInputException(s, "a streaming config needs the external memory image its weights stream from");
        if (Weights.WrittenWords != 0)
            throw new UserInputException(s + " weights", $"{Weights.WrittenWords} host-written words; a streaming engine's weights come from external memory");
        if (WeightBase % (ulong)st.BurstBytes != 0 || (st.AxiAddrBits < 64 && WeightBase >> st.AxiAddrBits != 0))
            throw new UserInputException(s + " weight base", $"0x{WeightBase:x} must be a multiple of {st.BurstBytes} bytes (one burst) below 2^{st.AxiAddrBits}");
    }

    private static void Expect(string what, MemoryImage m, int wordBits, int depth)
    {
        if (m.WordBits != wordBits || m.Depth != depth)
            throw new UserInputException(what, $"{m.Depth} words × {m.WordBits} bits, but the config has {depth} × {wordBits}");
    }
}
