using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>
/// Co-simulation of a streaming layer (docs/hardware.md, "Weight streaming over AXI"): the host loads
/// imem and amem and starts the engine with weight_base; one <see cref="MemorySlave"/> of the given
/// memory model answers the AXI reads of both models, driven by the simulator's outputs; every port is
/// compared every cycle and an <see cref="AxiProtocolChecker"/> watches each model's bus. Then the
/// values read back must equal the reference, and the cycles must add up: every model's busy cycles
/// are N_static (the compiler's static count) plus the stall cycles it showed on dbg_stall, and under a
/// memory without random gaps (the stated timing model, or a slower one) they equal the compiler's
/// prediction (<see cref="StallPredictor"/>, its own derivation of the document) exactly.
/// </summary>
internal static class StreamingCase
{
    public static CaseReport Run(Layer layer, ProgramImage image, IReadOnlyList<ITopModel> models, long[] reference, MemoryModel memory)
    {
        HardwareConfig cfg = image.Config;
        ExternalMemory external = image.External ?? throw new ArgumentException("a streaming image without its external memory", nameof(image));
        var slave = new MemorySlave(cfg, external, memory);
        StreamPrediction? predicted = memory.HasBackpressure ? null : StallPredictor.Predict(cfg, image.Instructions, memory.Timing);
        LockstepResult lockstep = Lockstep.Run(ScriptFor(image, memory), models, slave, cfg);
        OutputMismatch? output = null;
        string? cycles = null;
        if (lockstep.FirstMismatch is null)
        {
            output = CoSimulation.CheckOutputs(image, lockstep, reference);
            cycles = CheckCycles(image, lockstep, predicted);
        }
        return new CaseReport(layer.Shape, predicted?.Cycles ?? image.PredictedCycles, lockstep, output, cycles,
            CheckSimulatorRun(image, reference, memory, predicted), memory.ToString());
    }

    /// <summary>The host's script: no wmem writes, weight_base held, a program phase bounded generously by the traffic.</summary>
    internal static HostScript ScriptFor(ProgramImage image, MemoryModel memory)
    {
        HardwareConfig cfg = image.Config;
        StreamConfig st = cfg.Stream!;
        var w = image.Workload;
        var reads = new List<(int, int)>(w.Tokens * w.OutFeatures);
        for (int t = 0; t < w.Tokens; t++)
            for (int o = 0; o < w.OutFeatures; o++)
                reads.Add(image.OutputLocation(t, o));
        long beats = image.External!.Bytes.Length / (st.AxiDataBits / 8) + 1;
        long bursts = beats / st.BurstBeats + 1;
        long perBeat = (long)Math.Ceiling(2.0 * memory.Timing.BeatsPerCycleDen / memory.Timing.BeatsPerCycleNum) + 2;
        long bound = 2 * image.PredictedCycles + perBeat * 2 * beats + 4L * (memory.Timing.FirstBeatLatencyCycles + 16) * bursts + 1000;
        return HostScript.Build(cfg, image.Instructions, [], CoSimulation.Words(image.Activations), image.PredictedCycles, reads,
            image.External.BaseAddress, bound);
    }

    private static string? CheckCycles(ProgramImage image, LockstepResult r, StreamPrediction? predicted)
    {
        foreach (ModelRun run in r.Runs)
        {
            if (run.StillBusyAtEnd) return $"{run.Model} still busy after {r.CyclesRun} cycles";
            if (run.BusyCycles != image.PredictedCycles + run.StallCycles)
                return $"{run.Model} was busy {run.BusyCycles} cycles, but N_static {image.PredictedCycles} + its {run.StallCycles} stall cycles = {image.PredictedCycles + run.StallCycles}";
            if (predicted is not null && run.BusyCycles != predicted.Cycles)
                return $"{run.Model} was busy {run.BusyCycles} cycles ({run.StallCycles} stalls), the compiler predicted {predicted.Cycles} ({predicted.StallCycles} stalls)";
        }
        return null;
    }

    /// <summary>The simulator's own run of the image (<c>Simulator.Run</c>, its own host loop) agrees too.</summary>
    private static string? CheckSimulatorRun(ProgramImage image, long[] reference, MemoryModel memory, StreamPrediction? predicted)
    {
        SimResult run = Simulator.Run(image, memory);
        for (int i = 0; i < reference.Length; i++)
            if (run.Acc[i] != reference[i]) return $"Simulator.Run: acc element {i} = {run.Acc[i]}, reference = {reference[i]}";
        long expected = predicted?.Cycles ?? image.PredictedCycles + run.Activity.StallCycles;
        return run.Cycles == expected ? null : $"Simulator.Run: {run.Cycles} busy cycles, {expected} expected";
    }
}
