using Bit1HW.Core.Hardware;
using Bit1HW.Sim.Fast;

namespace Bit1HW.Sim;

/// <summary>Which simulator executes a run; both give the same outputs, cycles and activity.</summary>
public enum SimPath
{
    /// <summary>An instruction at a time (<see cref="FastEngine"/>).</summary>
    Fast,
    /// <summary>A rising edge at a time, port by port (<see cref="Engine"/>).</summary>
    CycleByCycle,
}

public static partial class Simulator
{
    /// <summary>Runs the image on the chosen path (the fast one unless a trace needs every edge); a streaming image against <see cref="MemoryModel.Default"/>.</summary>
    public static SimResult Run(ProgramImage image, SimPath path = SimPath.Fast, IProgress<double>? progress = null) =>
        Run(image, MemoryModel.Default, path, progress);

    /// <summary>Runs the image on the chosen path; a streaming image reads its weights through a <see cref="MemorySlave"/> imitating <paramref name="memory"/>.</summary>
    public static SimResult Run(ProgramImage image, MemoryModel memory, SimPath path = SimPath.Fast, IProgress<double>? progress = null) =>
        path == SimPath.CycleByCycle ? Run(image, SimFault.None, null, progress, memory)
            : image.Config.IsStreaming ? RunFastStreaming(image, memory, TileKernel.Best)
            : RunFast(image, TileKernel.Best);

    internal static SimResult RunFast(ProgramImage image, KernelIsa isa)
    {
        CheckInstructionStream(image);
        var engine = LoadFast(image, isa);
        long cycles = engine.Run(CycleLimit(image.PredictedCycles));
        var acc = new int[image.OutputWord.Length];
        for (int i = 0; i < acc.Length; i++) acc[i] = engine.ReadOutput((uint)image.OutputWord[i], (uint)image.OutputRow[i]);
        ActivityCounters activity = engine.TakeActivity();
        activity.OutputReads += acc.Length;
        activity.Cycles = cycles;
        activity.PredictedCycles = image.PredictedCycles;
        return new SimResult(image.Config, image.Workload, acc, cycles, image.PredictedCycles, activity);
    }

    /// <summary>A fresh fast engine, reset and loaded with the image through the host port (for benchmarks that rerun one program with <see cref="FastEngine.Run"/>).</summary>
    public static FastEngine LoadFast(ProgramImage image) => LoadFast(image, TileKernel.Best);

    internal static FastEngine LoadFast(ProgramImage image, KernelIsa isa)
    {
        CheckInstructionStream(image);
        var engine = new FastEngine(image.Config, isa);
        engine.Reset();
        for (int i = 0; i < image.Instructions.Length; i++) engine.WriteInstruction((uint)i, image.Instructions[i]);
        for (int w = 0; w < image.Weights.WrittenWords; w++) engine.WriteWeights((uint)w, image.Weights.Word(w));
        for (int w = 0; w < image.Activations.WrittenWords; w++) engine.WriteActivations((uint)w, image.Activations.Word(w));
        return engine;
    }
}
