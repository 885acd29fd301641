using System.Diagnostics;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

/// <summary>
/// A <see cref="ProgramImage"/> made ready for repeated fast runs: the instruction stream checked
/// once and the weight memory converted once into the <see cref="TileLayout"/>, shared read-only by
/// every engine that runs it. A run is exactly what <see cref="Simulator.Run(ProgramImage, SimPath, IProgress{double})"/>
/// does on the fast path — reset, write imem, wmem and amem through the host port, start, clock
/// until busy falls, read every output back — with the weight words swapped in instead of
/// converted again (their host writes are still counted), so cycles, outputs and activity are the
/// same; only the activations may change from run to run. A streaming image is prepared the same
/// way for the fast path's two halves (<see cref="Simulator"/>, "RunFastStreaming"): its stream
/// words, decoded once in stream order, are the weights, and its memory traffic (stall cycles and
/// bursts) under the given <see cref="MemoryModel"/> is counted once — or per run under random
/// backpressure, whose draws depend on the host's edges before start.
/// </summary>
public sealed class PreparedProgram
{
    private readonly uint[] _instructions;
    private readonly WeightStore _weights;
    private readonly int _weightWords;
    private readonly int[] _outputWord, _outputRow;
    private readonly ProgramImage? _streaming;     // the image, for a streaming config (its external memory and weight base)
    private readonly MemoryModel _memory;
    private readonly FastFault _fault;
    private StreamTraffic? _traffic;

    /// <param name="keepActivations">Keep the image's activation memory for runs given none (a caller that always supplies its own can let it go).</param>
    /// <param name="memory">A streaming image's memory (default <see cref="MemoryModel.Default"/>); ignored for a host-fed one.</param>
    public PreparedProgram(ProgramImage image, bool keepActivations = true, MemoryModel? memory = null)
        : this(image, keepActivations, memory ?? MemoryModel.Default, FastFault.None) { }

    internal PreparedProgram(ProgramImage image, bool keepActivations, MemoryModel memory, FastFault fault)
    {
        Simulator.CheckInstructionStream(image);
        Config = image.Config;
        Workload = image.Workload;
        PredictedCycles = image.PredictedCycles;
        _instructions = (uint[])image.Instructions.Clone();
        _outputWord = image.OutputWord;
        _outputRow = image.OutputRow;
        Activations = keepActivations ? image.Activations : null;
        _memory = memory.Validate();
        _fault = fault;
        if (image.Config.IsStreaming)
        {
            _streaming = image;
            _traffic = Traffic(image.Activations.WrittenWords);
            _weights = StreamStore.Build(image, _traffic);
            return;
        }
        var layout = new TileLayout(image.Config);
        _weights = new WeightStore(image.Config, layout);
        _weightWords = image.Weights.WrittenWords;
        for (int w = 0; w < _weightWords; w++) _weights.Write(w, image.Weights.Word(w));
    }

    /// <summary>The streaming run's traffic when the host writes <paramref name="activationWords"/> amem words before start.</summary>
    private StreamTraffic Traffic(int activationWords)
    {
        ProgramImage image = _streaming!;
        var imem = new uint[Config.InstrDepth];
        _instructions.CopyTo(imem, 0);
        var slave = new MemorySlave(Config, image.External!, _memory);
        return StreamTimeline.Run(Config, imem, slave, image.WeightBase, 1 + _instructions.Length + activationWords,
            Simulator.CycleLimit(PredictedCycles), _fault);
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
        StreamTraffic? traffic = _streaming is null ? null
            : _memory.HasBackpressure ? Traffic(acts.WrittenWords) : _traffic;
        if (traffic is null) engine.UseWeights(_weights, _weightWords);
        else engine.UseStream(_weights);
        for (int w = 0; w < acts.WrittenWords; w++) engine.WriteActivations((uint)w, acts.Word(w));
        long cycles = engine.Run(Simulator.CycleLimit(PredictedCycles));
        if (traffic is not null)
        {
            if (cycles != traffic.StaticCycles)
                throw new UnreachableException($"the timeline counted {traffic.StaticCycles} static cycles, the fast engine {cycles}");
            engine.Stalled(traffic.StallCycles);
            cycles += traffic.StallCycles;
        }
        var acc = new int[_outputWord.Length];
        for (int i = 0; i < acc.Length; i++) acc[i] = engine.ReadOutput((uint)_outputWord[i], (uint)_outputRow[i]);
        ActivityCounters activity = engine.TakeActivity();
        activity.OutputReads += acc.Length;
        if (traffic is not null) activity.StreamTotals(traffic.StallCycles, traffic.BurstAddresses.Count, traffic.BytesRead, traffic.RingWords);
        activity.Cycles = cycles;
        activity.PredictedCycles = PredictedCycles;
        return new SimResult(Config, Workload, acc, cycles, PredictedCycles, activity);
    }
}
