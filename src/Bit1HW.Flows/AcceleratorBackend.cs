using Bit1HW.CoSim;
using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.Energy.Simulation;
using Bit1HW.Energy.Technology;
using Bit1HW.Model.Decoding;
using Bit1HW.Sim;

namespace Bit1HW.Flows;

/// <summary>
/// A decoder backend that runs every ternary matrix-vector product on an accelerator engine: the
/// cycle-accurate simulator (<see cref="Simulator"/>) or the generated RTL under Verilator
/// (<see cref="Verilator"/>). Each product is cut into chunks that fit the configured memories by
/// the compiler's <see cref="ChunkPlanner"/>, each chunk compiled and run; the host adds the K
/// chunks' int32 partial sums, which is exact. <see cref="Cycles"/> is the sum of the busy cycles,
/// so it counts the chunks one after another on one engine. <see cref="Picojoules"/> prices each
/// chunk's activity with the energy model, in process. The RTL has no counters of its own, so the
/// Verilator backend also runs each chunk on the simulator (they are cycle-identical by
/// co-simulation), takes its counters, and fails if the two disagree.
/// </summary>
public sealed class AcceleratorBackend : ITernaryLinearBackend, IDisposable
{
    private readonly HardwareConfig _config;
    private readonly ChunkPlanner _planner;
    private readonly Func<ProgramImage, (int[] Acc, long Cycles, SimResult Activity)> _run;
    private readonly TechnologyNode _node;
    private readonly IDisposable? _owned;
    private readonly PreparedChunks? _prepared;
    private readonly StreamDram? _dram;
    private long _cycles;

    private AcceleratorBackend(string name, HardwareConfig config, TechnologyNode node,
        Func<ProgramImage, (int[], long, SimResult)> run, IDisposable? owned, bool prepareChunks = false)
    {
        Name = name;
        _config = config.Validate();
        _planner = new ChunkPlanner(_config);
        _node = node;
        _run = run;
        _owned = owned;
        if (_config.IsStreaming) _dram = new StreamDram(_config, _planner);
        else if (prepareChunks) _prepared = new PreparedChunks(_config, _planner, Price);
    }

    /// <summary>
    /// Runs on the cycle-accurate simulator; energy priced at <paramref name="node"/> (docs/energy.md).
    /// On the fast path every chunk is compiled once and kept (<see cref="PreparedChunks"/>); on the
    /// cycle-by-cycle path (for comparison) every chunk is compiled and simulated afresh.
    /// </summary>
    public static AcceleratorBackend Simulator(HardwareConfig config, string node = "7nm", SimPath path = SimPath.Fast) =>
        new("sim", config, TechnologyNode.Resolve(node), image =>
        {
            SimResult r = Sim.Simulator.Run(image, path);
            return (r.Acc, r.Cycles, r);
        }, null, prepareChunks: path == SimPath.Fast);

    /// <summary>Runs on the configuration's generated RTL under Verilator, built (or loaded from the cache) now;
    /// build messages go to <paramref name="progress"/>.</summary>
    public static AcceleratorBackend Verilator(HardwareConfig config, string node = "7nm", TextWriter? progress = null)
    {
        TechnologyNode.Resolve(node);
        RequireHostFed(config, "verilator");   // before the model is built
        var runner = new VerilatorRunner(config, progress);
        return Engine("verilator", config, image => runner.Run(image), runner, node);
    }

    /// <summary>
    /// Runs every chunk on an engine outside this library (for example a board over its UART):
    /// <paramref name="run"/> takes a compiled chunk and returns its accumulators [t, o] and the busy
    /// cycles the engine counted. Like the Verilator backend it also runs each chunk on the simulator
    /// for the activity counters and fails on any difference. The backend disposes <paramref name="owned"/>.
    /// </summary>
    public static AcceleratorBackend Engine(string name, HardwareConfig config, Func<ProgramImage, (int[] Acc, long Cycles)> run,
        IDisposable? owned, string node = "7nm")
    {
        RequireHostFed(config, name);
        TechnologyNode tech = TechnologyNode.Resolve(node);
        return new(name, config, tech, image =>
        {
            var (acc, cycles) = run(image);
            SimResult counters = Sim.Simulator.Run(image);
            if (!acc.AsSpan().SequenceEqual(counters.Acc) || cycles != counters.Cycles)
                throw new BackendMismatchException($"{name} and the simulator disagree on a {image.Workload.OutFeatures}×{image.Workload.InFeatures} chunk (cycles {cycles} vs {counters.Cycles})");
            return (acc, cycles, counters);
        }, owned);
    }

    /// <summary>An engine outside this library is fed through its host port; a streaming config is a one-line error.</summary>
    private static void RequireHostFed(HardwareConfig config, string name)
    {
        if (config.IsStreaming)
            throw new Core.UserInputException("--config", $"--backend {name} does not take a streaming config yet (its weights would come over AXI); use --backend sim");
    }

    public string Name { get; }
    /// <summary>Chunks compiled so far by the fast simulator backend (each once per model and configuration).</summary>
    public int ChunksCompiled => _prepared?.Compilations ?? 0;
    /// <summary>Where the fast simulator backend's chunk time went, or null on the other paths.</summary>
    public ChunkTimes? ChunkTimes => _prepared?.Times;
    /// <summary>Busy cycles so far (compute + stall).</summary>
    public long? Cycles => _cycles;
    /// <summary>Streaming engines: busy cycles spent waiting for the memory (docs/hardware.md, "Stalls"), part of <see cref="Cycles"/>.</summary>
    public long StallCycles { get; private set; }
    /// <summary>
    /// Streaming engines: host-port edges outside the busy cycles, one per program and activation word
    /// written, one for start, one per output row read back and one for the read's latency.
    /// </summary>
    public long HostCycles { get; private set; }
    /// <summary>Streaming engines: bytes the stream engine read from the simulated DRAM image.</summary>
    public long ExternalBytesRead { get; private set; }
    /// <summary>Streaming engines: bytes of the DRAM image laid out so far (every projection used once).</summary>
    public long DramImageBytes => _dram?.Bytes ?? 0;
    public HardwareConfig Config => _config;
    public string Node => _node.Name;
    /// <summary>Energy of all chunks run so far, from their activity counters.</summary>
    public double Picojoules { get; private set; }

    public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        if (_prepared is not null)
        {
            foreach (var (chunkCycles, picojoules) in _prepared.MatVec(w, xq, acc))
            {
                _cycles += chunkCycles;
                Picojoules += picojoules;
            }
            return;
        }
        acc.Clear();
        if (_dram is not null)
        {
            StreamMatVec(w, xq, acc, site);
            return;
        }
        foreach (Chunk chunk in _planner.Plan(w.Rows, w.Cols))
        {
            var x = xq.Slice(chunk.Col0, chunk.Cols).ToArray();
            var compiled = LayerCompiler.Compile(new Layer(new Workload(1, chunk.Rows, chunk.Cols), PreparedChunks.Weights(w, chunk), x), _config);
            var (result, cycles, activity) = _run(compiled.Image);
            _cycles += cycles;
            Picojoules += Price(activity);
            for (int r = 0; r < chunk.Rows; r++) acc[chunk.Row0 + r] += result[r];
        }
    }

    /// <summary>Each chunk streams its weights from the model's DRAM image; only the activations and the program go through the host port.</summary>
    private void StreamMatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        foreach (StreamDram.Placed p in _dram!.Chunks(w, site))
        {
            Chunk chunk = p.Chunk;
            var layer = new Layer(new Workload(1, chunk.Rows, chunk.Cols), new sbyte[(long)chunk.Rows * chunk.Cols], xq.Slice(chunk.Col0, chunk.Cols).ToArray());
            var compiled = LayerCompiler.Compile(layer, _config, new StreamSource(p.Window, 0, p.Place));
            var (result, cycles, activity) = _run(compiled.Image);
            _cycles += cycles;
            StallCycles += activity.Activity.StallCycles;
            ExternalBytesRead += activity.Activity.ExternalBytesRead;
            HostCycles += StreamEstimator.HostPortEdges(compiled.Image.Instructions.Length, compiled.Image.Activations.WrittenWords, chunk.Rows);
            Picojoules += Price(activity);
            for (int r = 0; r < chunk.Rows; r++) acc[chunk.Row0 + r] += result[r];
        }
    }

    private double Price(SimResult activity) => SimEnergyModel.Estimate(activity.ToReport(), _node).Measured.TotalPicojoules;

    public void Dispose()
    {
        _owned?.Dispose();
        _prepared?.Dispose();
    }
}
