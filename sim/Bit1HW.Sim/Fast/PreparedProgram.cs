using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

/// <summary>
/// A <see cref="ProgramImage"/> made ready for repeated fast runs: the instruction stream checked
/// once and the weight memory converted once into the <see cref="TileLayout"/>, shared read-only by
/// every engine that runs it. A run is exactly what <see cref="Simulator.Run(ProgramImage, SimPath, IProgress{double})"/>
/// does on the fast path — reset, write imem, wmem and amem through the host port, start, clock
/// until busy falls, read every output back — with the weight words swapped in instead of
/// converted again (their host writes are still counted), so cycles, outputs and activity are the
/// same; only the activations may change from run to run.
/// </summary>
public sealed class PreparedProgram
{
    private readonly uint[] _instructions;
    private readonly WeightStore _weights;
    private readonly int _weightWords;
    private readonly int[] _outputWord, _outputRow;

    /// <param name="keepActivations">Keep the image's activation memory for runs given none (a caller that always supplies its own can let it go).</param>
    public PreparedProgram(ProgramImage image, bool keepActivations = true)
    {
        Simulator.CheckInstructionStream(image);
        Config = image.Config;
        Workload = image.Workload;
        PredictedCycles = image.PredictedCycles;
        _instructions = (uint[])image.Instructions.Clone();
        var layout = new TileLayout(image.Config);
        _weights = new WeightStore(image.Config, layout);
        _weightWords = image.Weights.WrittenWords;
        for (int w = 0; w < _weightWords; w++) _weights.Write(w, image.Weights.Word(w));
        _outputWord = image.OutputWord;
        _outputRow = image.OutputRow;
        Activations = keepActivations ? image.Activations : null;
    }

    public HardwareConfig Config { get; }
    public Workload Workload { get; }
    public long PredictedCycles { get; }
    /// <summary>The image's activation memory (used when a run is given none), if kept.</summary>
    public MemoryImage? Activations { get; }

    /// <summary>Runs on <paramref name="engine"/> (same configuration) with these activations, or the image's.</summary>
    public SimResult Run(FastEngine engine, MemoryImage? activations = null)
    {
        if (engine.Config != Config) throw new ArgumentException($"the engine is {engine.Config.Tag}, the program {Config.Tag}", nameof(engine));
        MemoryImage acts = activations ?? Activations
            ?? throw new ArgumentNullException(nameof(activations), "this prepared program did not keep its image's activations");
        if (acts.WordBits != Config.ActWordBits || acts.Depth != Config.ActDepth)
            throw new ArgumentException($"activations of {acts.Depth} × {acts.WordBits} bits, the config has {Config.ActDepth} × {Config.ActWordBits}", nameof(activations));
        engine.TakeActivity();
        engine.Reset();
        for (int i = 0; i < _instructions.Length; i++) engine.WriteInstruction((uint)i, _instructions[i]);
        engine.UseWeights(_weights, _weightWords);
        for (int w = 0; w < acts.WrittenWords; w++) engine.WriteActivations((uint)w, acts.Word(w));
        long cycles = engine.Run(Simulator.CycleLimit(PredictedCycles));
        var acc = new int[_outputWord.Length];
        for (int i = 0; i < acc.Length; i++) acc[i] = engine.ReadOutput((uint)_outputWord[i], (uint)_outputRow[i]);
        ActivityCounters activity = engine.TakeActivity();
        activity.OutputReads += acc.Length;
        activity.Cycles = cycles;
        activity.PredictedCycles = PredictedCycles;
        return new SimResult(Config, Workload, acc, cycles, PredictedCycles, activity);
    }
}
