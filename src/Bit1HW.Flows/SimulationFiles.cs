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
    /// cycle by cycle, every edge also going to that VCD file (written atomically).
    /// </summary>
    public static SimResult Run(ProgramImage image, string? vcdPath, IProgress<double>? progress = null, SimPath path = SimPath.Fast)
    {
        if (vcdPath is null) return Simulator.Run(image, path, progress);
        SimResult? result = null;
        AtomicFile.Write(vcdPath, s =>
        {
            using var tw = new StreamWriter(s, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            result = Simulator.Run(image, new VcdWriter(tw, image.Config), progress);
        });
        return result!;
    }

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
