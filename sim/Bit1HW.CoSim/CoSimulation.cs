using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>An output element where a model disagrees with the software reference.</summary>
public sealed record OutputMismatch(string Model, int Token, int OutFeature, long Reference, int Value)
{
    public override string ToString() => $"{Model}: acc[{Token},{OutFeature}] = {Value}, reference = {Reference}";
}

/// <summary>The three-way result of one layer: reference vs simulator vs RTL, values and cycles. For a
/// streaming layer <see cref="PredictedCycles"/> is the compiler's N under the memory's timing when the
/// memory has no random gaps, else N_static; <see cref="Memory"/> names the memory model (with its seed).</summary>
public sealed record CaseReport(Workload Shape, long PredictedCycles, LockstepResult Lockstep, OutputMismatch? Output,
    string? CycleProblem, string? FastPathProblem = null, string? Memory = null)
{
    public bool Agrees => Lockstep.FirstMismatch is null && Lockstep.Protocol is null && Output is null && CycleProblem is null && FastPathProblem is null;

    public string Describe()
    {
        string memory = Memory is null ? "" : $" [memory: {Memory}]";
        if (Lockstep.FirstMismatch is { } p) return "port mismatch at " + p + memory;
        if (Lockstep.Protocol is { } v) return "AXI protocol violation at " + v + memory;
        if (Output is { } o) return "output mismatch: " + o + memory;
        if (CycleProblem is { } c) return "cycle mismatch: " + c + memory;
        if (FastPathProblem is { } f) return "fast path: " + f + memory;
        long stalls = Lockstep.Runs[0].StallCycles;
        return Memory is null ? $"agree: {Lockstep.Runs[0].BusyCycles} cycles (predicted {PredictedCycles})"
            : $"agree: {Lockstep.Runs[0].BusyCycles} cycles, {stalls} of them stalls (predicted {PredictedCycles}){memory}";
    }
}

/// <summary>
/// Runs one layer on a design three ways: compiles it, drives the C# simulator and the Verilator
/// model with the same <see cref="HostScript"/> in lockstep (every port, every cycle), and checks
/// every output each model read back against the software reference and every model's busy
/// cycles against the compiler's prediction. The simulator's fast path (an instruction at a time,
/// no ports to compare) runs the image too and must give the same outputs and cycles.
/// </summary>
public static class CoSimulation
{
    /// <summary>
    /// Co-simulates one compiled layer on its configuration's design: the generated RTL is built
    /// with Verilator (or loaded from the cache; build messages go to <paramref name="progress"/>),
    /// then simulator and RTL run in lockstep and both are checked against the software reference.
    /// A missing Verilator is an <see cref="Core.ExternalToolException"/>. <paramref name="variant"/> picks the RTL
    /// (default generic; ice40-up5k with SPRAM and SB_MAC16 accumulators runs on the generated cell models).
    /// </summary>
    public static CaseReport Run(Layer layer, ProgramImage image, TextWriter? progress = null, HdlGen.Gen.RtlVariant? variant = null,
        MemoryModel? memory = null)
    {
        DesignUnderTest design = DesignUnderTest.Build(image.Config, progress, variant: variant);
        using SimulatorModel sim = design.NewSimulator();
        using VerilatorModel rtl = design.NewVerilator();
        return RunCase(layer, image, [sim, rtl], memory);
    }

    /// <summary>Runs one layer on the given models in lockstep and checks them against Core's reference;
    /// a streaming image reads its weights through a <see cref="MemorySlave"/> of <paramref name="memory"/>
    /// (<see cref="MemoryModel.Default"/> unless given).</summary>
    public static CaseReport RunCase(Layer layer, ProgramImage image, IReadOnlyList<ITopModel> models, MemoryModel? memory = null) =>
        RunCase(layer, image, models, Reference.Accumulators(layer, image.Config), memory);

    /// <summary>As <see cref="RunCase(Layer, ProgramImage, IReadOnlyList{ITopModel}, MemoryModel?)"/> against given reference accumulators [t, o].</summary>
    public static CaseReport RunCase(Layer layer, ProgramImage image, IReadOnlyList<ITopModel> models, long[] reference, MemoryModel? memory = null)
    {
        if (image.Config.IsStreaming) return StreamingCase.Run(layer, image, models, reference, memory ?? MemoryModel.Default);
        HostScript script = ScriptFor(image);
        LockstepResult lockstep = Lockstep.Run(script, models);
        OutputMismatch? output = null;
        string? cycles = null;
        if (lockstep.FirstMismatch is null)
        {
            output = CheckOutputs(image, lockstep, reference);
            cycles = CheckCycles(image.PredictedCycles, lockstep);
        }
        return new CaseReport(layer.Shape, image.PredictedCycles, lockstep, output, cycles, CheckFastPath(image, reference));
    }

    private static string? CheckFastPath(ProgramImage image, long[] reference)
    {
        SimResult fast = Simulator.Run(image, SimPath.Fast);
        for (int i = 0; i < reference.Length; i++)
            if (fast.Acc[i] != reference[i]) return $"acc element {i} = {fast.Acc[i]}, reference = {reference[i]}";
        return fast.Cycles == image.PredictedCycles ? null : $"{fast.Cycles} busy cycles, compiler predicted {image.PredictedCycles}";
    }

    /// <summary>
    /// Runs a raw program (<see cref="RandomPrograms"/>) on the given models in lockstep: every port
    /// every cycle, the read-back of every output word it wrote, and each model's busy cycles against
    /// the contract's N = FetchCycles + Σ cycles. There is no software reference for a program; the
    /// simulator itself is checked against the contract's timing rules by its own tests.
    /// </summary>
    public static CaseReport RunProgram(ProgramCase program, IReadOnlyList<ITopModel> models)
    {
        LockstepResult lockstep = Lockstep.Run(program.Script(), models);
        string? cycles = lockstep.FirstMismatch is null ? CheckCycles(program.PredictedCycles, lockstep) : null;
        return new CaseReport(default, program.PredictedCycles, lockstep, null, cycles);
    }

    internal static HostScript ScriptFor(ProgramImage image)
    {
        var w = image.Workload;
        var reads = new List<(int, int)>(w.Tokens * w.OutFeatures);
        for (int t = 0; t < w.Tokens; t++)
            for (int o = 0; o < w.OutFeatures; o++)
                reads.Add(image.OutputLocation(t, o));
        return HostScript.Build(image.Config, image.Instructions, Words(image.Weights), Words(image.Activations),
            image.PredictedCycles, reads);
    }

    internal static List<uint[]> Words(MemoryImage m) =>
        Enumerable.Range(0, m.WrittenWords).Select(i => m.Word(i).ToArray()).ToList();

    internal static OutputMismatch? CheckOutputs(ProgramImage image, LockstepResult r, long[] reference)
    {
        foreach (ModelRun run in r.Runs)
            for (int i = 0; i < reference.Length; i++)
                if (run.ReadValues[i] != reference[i])
                {
                    int outs = image.Workload.OutFeatures;
                    return new OutputMismatch(run.Model, i / outs, i % outs, reference[i], run.ReadValues[i]);
                }
        return null;
    }

    private static string? CheckCycles(long predicted, LockstepResult r)
    {
        foreach (ModelRun run in r.Runs)
        {
            if (run.StillBusyAtEnd) return $"{run.Model} still busy after {predicted + HostScript.RunSlackCycles} cycles";
            if (run.BusyCycles != predicted)
                return $"{run.Model} was busy {run.BusyCycles} cycles, predicted {predicted}";
        }
        return null;
    }
}

/// <summary>
/// The software reference for the integer part of a layer. For a ternary PE it is Core's BitLinear
/// (the same fast path `bit1hw bitlinear` uses); Core has no INT8×INT8 GEMM, so the MAC baseline
/// is checked against a plain 64-bit sum.
/// </summary>
internal static class Reference
{
    public static long[] Accumulators(Layer layer, HardwareConfig cfg)
    {
        var s = layer.Shape;
        if (cfg.Pe == PeKind.Ternary)
        {
            var w = Bit1HW.Core.Numerics.TernaryMatrix.FromTernary(layer.Weights, s.OutFeatures, s.InFeatures, 1f);
            var x = new Bit1HW.Core.Numerics.QuantizedActivations(s.Tokens, s.InFeatures, cfg.ActBits, layer.Activations, new float[s.Tokens]);
            var acc32 = new int[s.Tokens * s.OutFeatures];
            Bit1HW.Core.Numerics.BitLinear.Accumulate(w, x, acc32);
            return acc32.Select(a => (long)a).ToArray();
        }
        return Scalar(layer);
    }

    public static long[] Scalar(Layer layer)
    {
        var s = layer.Shape;
        var acc = new long[s.Tokens * s.OutFeatures];
        for (int t = 0; t < s.Tokens; t++)
            for (int o = 0; o < s.OutFeatures; o++)
            {
                long sum = 0;
                for (int k = 0; k < s.InFeatures; k++)
                    sum += (long)layer.Weights[o * s.InFeatures + k] * layer.Activations[t * s.InFeatures + k];
                acc[t * s.OutFeatures + o] = sum;
            }
        return acc;
    }
}
