using Bit1HW.Sim;
using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim;

/// <summary>
/// The cycle-by-cycle stimulus a host applies to the engine: reset, memory loads through the host
/// port, a start pulse, idle cycles while the program runs, then reads of the output buffer. It is
/// data only, computed before the run, so every model receives exactly the same inputs; the program
/// phase is given its predicted cycle count plus <see cref="RunSlackCycles"/> idle cycles, and any
/// model that is still busy at the end is reported.
/// </summary>
internal sealed class HostScript
{
    public const int ResetCycles = 2;
    public const int RunSlackCycles = 4;

    public required IReadOnlyList<TopInputs> Cycles { get; init; }
    /// <summary>Index of the cycle whose inputs carry start = 1.</summary>
    public required int StartCycle { get; init; }
    /// <summary>For each output read: the cycle whose outputs carry its data, and the (word, row) read.</summary>
    public required IReadOnlyList<(int Cycle, int Word, int Row)> Reads { get; init; }
    /// <summary>Index of the first cycle after the program phase (the reads follow).</summary>
    public int RunEnd { get; init; }
    /// <summary>A streaming run's length depends on the memory: its program phase is a generous bound,
    /// cut short (by <see cref="Lockstep"/>) once no model is busy.</summary>
    public bool EndRunWhenIdle { get; init; }

    /// <param name="instructions">imem words from address 0.</param>
    /// <param name="weightWords">wmem words from address 0, each HostDataBits as 32-bit limbs.</param>
    /// <param name="activationWords">amem words from address 0, likewise.</param>
    /// <param name="outputs">output-buffer (word, row) pairs to read after the run.</param>
    /// <param name="weightBase">weight_base, held on every cycle (streaming engines).</param>
    /// <param name="runBound">For a streaming run: the most cycles the program phase may take (it ends when no model is busy).</param>
    /// <param name="startPulses">cycles after the start pulse (1..predicted - 1, while busy) at which start is raised again; the contract ignores them.</param>
    public static HostScript Build(HardwareConfig cfg, IReadOnlyList<uint> instructions,
        IReadOnlyList<uint[]> weightWords, IReadOnlyList<uint[]> activationWords,
        long predictedCycles, IReadOnlyList<(int Word, int Row)> outputs, ulong weightBase = 0, long? runBound = null,
        IReadOnlyList<int>? startPulses = null)
    {
        int limbs = (cfg.HostDataBits + 31) / 32;
        var cycles = new List<TopInputs>();
        for (int i = 0; i < ResetCycles; i++) cycles.Add(new TopInputs { Rst = true });
        for (int a = 0; a < instructions.Count; a++)
        {
            var w = new uint[limbs];
            w[0] = instructions[a];
            cycles.Add(Write(0, a, w));
        }
        AddWrites(cycles, 1, weightWords, limbs);
        AddWrites(cycles, 2, activationWords, limbs);
        int start = cycles.Count;
        cycles.Add(new TopInputs { Start = true });
        long idle = (runBound ?? predictedCycles) + RunSlackCycles;
        if (idle > int.MaxValue / 2) throw new InvalidOperationException($"program of {idle} cycles is too long for lockstep co-simulation");
        for (long i = 0; i < idle; i++) cycles.Add(Ports.Idle);
        foreach (int p in startPulses ?? [])
        {
            if (p < 1 || p >= predictedCycles) throw new ArgumentOutOfRangeException(nameof(startPulses), p, $"a start pulse while busy must be in 1..{predictedCycles - 1}");
            cycles[start + p] = new TopInputs { Start = true };
        }
        int runEnd = cycles.Count;
        var reads = new List<(int, int, int)>();
        foreach (var (word, row) in outputs)
        {
            cycles.Add(new TopInputs { HostRAddr = (uint)word, HostRRow = (uint)row });
            reads.Add((cycles.Count - 1, word, row)); // registered read: data is in the outputs of the edge that samples the address
        }
        cycles.Add(Ports.Idle);
        if (weightBase != 0)
            for (int i = 0; i < cycles.Count; i++) cycles[i] = cycles[i] with { WeightBase = weightBase };
        return new HostScript { Cycles = cycles, StartCycle = start, Reads = reads, RunEnd = runEnd, EndRunWhenIdle = runBound is not null };
    }

    private static void AddWrites(List<TopInputs> cycles, int sel, IReadOnlyList<uint[]> words, int limbs)
    {
        for (int a = 0; a < words.Count; a++)
        {
            if (words[a].Length > limbs)
                throw new ArgumentException($"memory {sel} word {a} has {words[a].Length} limbs; the host port has {limbs}");
            var w = new uint[limbs];
            words[a].CopyTo(w, 0);
            cycles.Add(Write(sel, a, w));
        }
    }

    private static TopInputs Write(int sel, int addr, uint[] data) =>
        new() { HostWe = true, HostSel = sel, HostAddr = (uint)addr, HostWData = data };
}
