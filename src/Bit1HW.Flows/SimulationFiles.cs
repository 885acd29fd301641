using Bit1HW.Core;
using System.Text;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Sim;

namespace Bit1HW.Flows;

/// <summary>
/// A simulation's files (<c>bit1hw sim</c>): the run with an optional VCD waveform, the result
/// tensors and the first disagreement with the software reference.
/// </summary>
public static class SimulationFiles
{
    /// <summary>
    /// Simulates <paramref name="image"/> on <paramref name="path"/>; with <paramref name="vcdPath"/>,
    /// cycle by cycle, every edge also going to that VCD file, and a GTKWave save file that groups its
    /// signals goes beside it (the same name with <c>.gtkw</c>). Both are written atomically. A streaming
    /// image reads external memory through a slave imitating <paramref name="memory"/> (default <see cref="MemoryModel.Default"/>).
    /// </summary>
    public static SimResult Run(ProgramImage image, string? vcdPath, IProgress<double>? progress = null, SimPath path = SimPath.Fast,
        MemoryModel? memory = null)
    {
        memory ??= MemoryModel.Default;
        if (vcdPath is null) return Simulator.Run(image, memory, path, progress);
        if (SaveFilePath(vcdPath) == vcdPath) throw new UserInputException("--vcd", $"{vcdPath}: the waveform file must not end in .gtkw (its GTKWave save file gets that name)");
        SimResult? result = null;
        VcdWriter? vcd = null;
        AtomicFile.Write(vcdPath, s =>
        {
            using var tw = new StreamWriter(s, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            vcd = new VcdWriter(tw, image.Config);
            result = Simulator.Run(image, memory, vcd, progress);
        });
        AtomicFile.WriteAllText(SaveFilePath(vcdPath), vcd!.SaveFile(Path.GetFileName(vcdPath)));
        return result!;
    }

    /// <summary>The GTKWave save file written beside a VCD: <c>sim.vcd</c> → <c>sim.gtkw</c>.</summary>
    public static string SaveFilePath(string vcdPath) => Path.ChangeExtension(vcdPath, ".gtkw");

    /// <summary>Writes acc I32 [tokens, out] and, when the layer is known, the dequantized output F32 [tokens, out].</summary>
    public static void WriteOutputs(string path, SimResult r, HardwareLayer? layer)
    {
        long[] shape = [r.Workload.Tokens, r.Workload.OutFeatures];
        var file = new SafeTensorsFile().Add(SafeTensor.FromInt32s("acc", shape, r.Acc));
        if (layer is not null) file.Add(SafeTensor.FromSingles("output", shape, layer.Dequantize(r.Acc)));
        file.Write(path);
    }

    /// <summary>The first accumulator [t, o] where the run differs from Core's BitLinear, or null when all agree.</summary>
    public static (int Token, int OutFeature, int Simulated, int Reference)? FirstMismatch(SimResult r, HardwareLayer layer)
    {
        int[] expected = layer.Reference().Acc;
        int o = r.Workload.OutFeatures;
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != r.Acc[i]) return (i / o, i % o, r.Acc[i], expected[i]);
        return null;
    }
}
