using Bit1HW.Compiler;
using Bit1HW.Core.Hardware;
using Bit1HW.Model;
using Bit1HW.Model.Decoding;
using Bit1HW.Sim;

namespace Bit1HW.Cli.Backends;

/// <summary>
/// The accelerator backend: every ternary matrix-vector product is compiled by the static schedule
/// compiler and run on the cycle-accurate simulator. A projection larger than the configured
/// memories is cut into row chunks (each fits weightDepth, outDepth and instrDepth) and K chunks
/// (each fits maxK and actDepth·lanes); the host adds the K chunks' int32 partial sums, which is
/// exact. <see cref="Cycles"/> is the sum of the simulated busy cycles, so it counts the chunks one
/// after another on one engine.
/// </summary>
internal sealed class SimBackend(HardwareConfig config) : ITernaryLinearBackend
{
    private long _cycles;

    public string Name => "sim";
    public long? Cycles => _cycles;
    public HardwareConfig Config => config;

    public void MatVec(TernaryMatrix w, ReadOnlySpan<sbyte> xq, Span<int> acc, LinearSite site)
    {
        int kChunk = Math.Min(config.MaxK, config.ActDepth * config.Lanes);
        acc.Clear();
        for (int k0 = 0; k0 < w.Cols; k0 += kChunk)
        {
            int kn = Math.Min(kChunk, w.Cols - k0);
            int kTiles = (kn + config.Lanes - 1) / config.Lanes;
            int rowBlocks = Math.Max(1, Math.Min(Math.Min(config.WeightDepth / kTiles, config.OutDepth), (config.InstrDepth - 8) / 6));
            int rowChunk = rowBlocks * config.Rows;
            var x = xq.Slice(k0, kn).ToArray();
            for (int r0 = 0; r0 < w.Rows; r0 += rowChunk)
            {
                int rn = Math.Min(rowChunk, w.Rows - r0);
                var weights = new sbyte[(long)rn * kn];
                for (int r = 0; r < rn; r++)
                    for (int c = 0; c < kn; c++) weights[(long)r * kn + c] = w.Get(r0 + r, k0 + c);
                var compiled = LayerCompiler.Compile(new Layer(new Workload(1, rn, kn), weights, x), config);
                SimResult result = Simulator.Run(compiled.Image);
                _cycles += result.Cycles;
                for (int r = 0; r < rn; r++) acc[r0 + r] += result.Acc[r];
            }
        }
    }
}
