using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim;

/// <summary>Result of <see cref="Simulator.Run(ProgramImage, ICycleObserver?, IProgress{double}?)"/>: acc[t · outFeatures + o], the busy cycles and the activity counters.</summary>
public sealed record SimResult(HardwareConfig Config, Workload Workload, int[] Acc, long Cycles, long PredictedCycles, ActivityCounters Activity)
{
    /// <summary>The run as Core's report: what the energy model prices and <c>sim --report</c> writes.</summary>
    public SimulationReport ToReport() => new(Config, Workload, Cycles, PredictedCycles, Activity.ToRecord());
}

/// <summary>Called after every rising edge in trace mode (VCD, port traces).</summary>
public interface ICycleObserver
{
    void AfterEdge(long edge, in TopInputs inputs, Engine engine);
}

/// <summary>
/// Runs a <see cref="ProgramImage"/> the way a host would: reset, write imem/wmem/amem through the
/// host port, pulse start, clock until busy falls, then read every output back through
/// host_raddr/host_rrow. Two paths give the same outputs, cycles and activity: the fast one
/// (<see cref="Fast.FastEngine"/>, an instruction at a time) and the cycle-by-cycle port-level
/// <see cref="Engine"/>, which a trace observer needs. The cycle path reuses one input struct and
/// allocates nothing per cycle.
/// </summary>
public static partial class Simulator
{
    /// <summary>Cycle by cycle, calling <paramref name="observer"/> after every rising edge.</summary>
    public static SimResult Run(ProgramImage image, ICycleObserver observer, IProgress<double>? progress = null) =>
        Run(image, SimFault.None, observer, progress);

    /// <summary>A streaming image cycle by cycle against <paramref name="memory"/>, calling <paramref name="observer"/> after every rising edge.</summary>
    public static SimResult Run(ProgramImage image, MemoryModel memory, ICycleObserver observer, IProgress<double>? progress = null) =>
        Run(image, SimFault.None, observer, progress, memory);

    internal static SimResult Run(ProgramImage image, SimFault fault, ICycleObserver? observer = null, IProgress<double>? progress = null,
        MemoryModel? memory = null)
    {
        CheckInstructionStream(image);
        var engine = new Engine(image.Config, fault);
        var clock = new Clocker(engine, observer, Slave(image, memory));
        clock.Edge(new TopInputs(Rst: true));
        Load(clock, image);
        long cycles = Execute(clock, image, progress);
        int[] acc = ReadOutputs(clock, image);
        engine.Activity.Cycles = cycles;
        engine.Activity.PredictedCycles = image.PredictedCycles;
        return new SimResult(image.Config, image.Workload, acc, cycles, image.PredictedCycles, engine.Activity);
    }

    /// <summary>Resets a fresh engine and loads the image through the host port (for benchmarks that rerun one program).</summary>
    public static Engine Load(ProgramImage image)
    {
        CheckInstructionStream(image);
        var engine = new Engine(image.Config);
        var clock = new Clocker(engine, null, null);
        clock.Edge(new TopInputs(Rst: true));
        Load(clock, image);
        return engine;
    }

    /// <summary>Pulses start on a loaded engine and clocks it until busy falls; returns the busy cycles (a streaming image against <see cref="MemoryModel.Default"/>).</summary>
    public static long Execute(Engine engine, ProgramImage image) => Execute(new Clocker(engine, null, Slave(image, null)), image, null);

    /// <summary>The memory slave of a streaming image (<see cref="MemoryModel.Default"/> unless given); null for a host-fed one.</summary>
    private static MemorySlave? Slave(ProgramImage image, MemoryModel? memory) =>
        image.External is { } external ? new MemorySlave(image.Config, external, memory ?? MemoryModel.Default) : null;

    /// <summary>
    /// The start edge (with weight_base), then idle edges until busy falls. Stall cycles do not count
    /// against the runaway limit (a slow memory may add many); a MAC waiting for a stream word that
    /// no LOAD brings would wait forever and is reported at once.
    /// </summary>
    private static long Execute(Clocker clock, ProgramImage image, IProgress<double>? progress)
    {
        Engine engine = clock.Engine;
        var idle = new TopInputs(WeightBase: image.WeightBase);
        clock.Edge(idle with { Start = true });
        long cycles = 0, limit = CycleLimit(image.PredictedCycles), reportEvery = 1 << 20;
        while (engine.Busy)
        {
            if (++cycles - engine.Activity.StallCycles > limit)
                throw new InvalidOperationException($"the engine is still busy after {limit} cycles (predicted {image.PredictedCycles})");
            if (engine.StarvedForever)
                throw new InvalidOperationException($"cycle {cycles - 1}: a MAC waits for stream word {engine.StreamWordsReceived}, but no burst is pending or in flight (the program's LOADs bring too few words)");
            clock.Edge(idle);
            if (progress is not null && cycles % reportEvery == 0) progress.Report((double)cycles / image.PredictedCycles);
        }
        return cycles;
    }

    /// <summary>A run busy for more cycles than this has gone wrong (a program the checks let through that never halts).</summary>
    internal static long CycleLimit(long predictedCycles) => predictedCycles * 2 + 1000;

    /// <summary>
    /// The hardware executes any word (docs/hardware.md), but a stream it would run forever or that
    /// the schedule verifier rejects (undefined opcodes, NOP/MAC counts of 0 or of 2^RepeatBits and
    /// more, which the hardware would run modulo 2^RepeatBits) is rejected before simulating, naming
    /// the instruction index.
    /// </summary>
    public static void CheckInstructionStream(ProgramImage image)
    {
        uint[] prog = image.Instructions;
        long countLimit = 1L << image.Config.RepeatBits;
        for (int i = 0; i < prog.Length; i++)
        {
            Opcode op = Isa.OpcodeOf(prog[i]);
            uint n = Isa.OperandOf(prog[i]);
            bool repeats = op is Opcode.Nop or Opcode.Mac;
            string? problem = !Isa.IsDefined(op) ? $"undefined opcode 0x{(int)op:x}"
                : repeats && n == 0 ? $"{Isa.Mnemonic(op)} 0"
                : repeats && n >= countLimit ? $"{Isa.Mnemonic(op)} {n}: the count is at least 2^RepeatBits = {countLimit}"
                : null;
            if (problem is not null)
                throw new UserInputException($"program instruction {i} (word 0x{prog[i]:x8})", problem);
            if (op == Opcode.Halt) return;
        }
        throw new UserInputException("program", $"missing HALT in {prog.Length} instructions");
    }

    private static void Load(Clocker clock, ProgramImage image)
    {
        var one = new uint[1];
        for (int i = 0; i < image.Instructions.Length; i++)
        {
            one[0] = image.Instructions[i];
            clock.Edge(new TopInputs(HostWe: true, HostSel: 0, HostAddr: (uint)i, HostWData: one));
        }
        LoadMemory(clock, image.Weights, 1);
        LoadMemory(clock, image.Activations, 2);
    }

    private static void LoadMemory(Clocker clock, MemoryImage m, int sel)
    {
        var data = new uint[m.LimbsPerWord];
        for (int w = 0; w < m.WrittenWords; w++)
        {
            m.Word(w).CopyTo(data);
            clock.Edge(new TopInputs(HostWe: true, HostSel: sel, HostAddr: (uint)w, HostWData: data));
        }
    }

    private static int[] ReadOutputs(Clocker clock, ProgramImage image)
    {
        var acc = new int[image.OutputWord.Length];
        for (int i = 0; i < acc.Length; i++)
        {
            clock.Edge(new TopInputs(HostRAddr: (uint)image.OutputWord[i], HostRRow: (uint)image.OutputRow[i]));
            acc[i] = clock.Engine.Outputs.HostRData;
        }
        clock.Engine.Activity.OutputReads += acc.Length;
        return acc;
    }

    /// <summary>Applies edges to the engine and, for a streaming engine, to its memory slave, which sees what the engine showed before the edge.</summary>
    private sealed class Clocker(Engine engine, ICycleObserver? observer, MemorySlave? slave)
    {
        private long _edge;
        public Engine Engine => engine;

        public void Edge(in TopInputs input)
        {
            if (slave is null)
            {
                engine.Clock(input);
                observer?.AfterEdge(_edge, input, engine);
            }
            else
            {
                TopOutputs before = engine.Outputs;
                TopInputs driven = slave.Drive(input);
                engine.Clock(driven);
                slave.Clock(before);
                observer?.AfterEdge(_edge, driven, engine);
            }
            _edge++;
        }
    }
}
