using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Technology;

namespace Bit1HW.Energy.Simulation;

/// <summary>Energy of one on-chip memory's traffic, priced at the tabulated SRAM that holds it.</summary>
public sealed record MemoryEnergy(string Memory, long CapacityBytes, long Bits, SramEnergy Sram)
{
    public double Picojoules => Bits * Sram.PicojoulesPerBit;
}

/// <summary>Arithmetic, SRAM and register energy of one datapath running the simulated workload.</summary>
public sealed record DatapathEnergy(string Name, double AdditionPicojoules, double MultiplyPicojoules, IReadOnlyList<MemoryEnergy> Memories, double RegisterPicojoules)
{
    public double ArithmeticPicojoules => AdditionPicojoules + MultiplyPicojoules;
    public double SramPicojoules => Memories.Sum(m => m.Picojoules);
    public double TotalPicojoules => ArithmeticPicojoules + SramPicojoules + RegisterPicojoules;
}

/// <summary>The priced simulated run: the measured datapath, the zero-weight share and the INT8 MAC and FP16 baselines of the same workload.</summary>
public sealed record SimEnergyResult(
    SimulationReport Report,
    TechnologyNode Node,
    DatapathEnergy Measured,
    double ZeroWeightPicojoules,
    DatapathEnergy? MacBaseline,
    DatapathEnergy Fp16Baseline)
{
    public long Tokens => Report.Workload.Tokens;
    public double PicojoulesPerToken => Measured.TotalPicojoules / Tokens;
    /// <summary>Arithmetic energy per term (one activation × weight): the pJ of one ternary operation.</summary>
    public double ArithmeticPicojoulesPerTerm => Report.Activity.TermsTotal == 0 ? 0 : Measured.ArithmeticPicojoules / Report.Activity.TermsTotal;
    public double SramShare => Measured.SramPicojoules / Measured.TotalPicojoules;
    public double RegisterShare => Measured.RegisterPicojoules / Measured.TotalPicojoules;
    public double ArithmeticShare => Measured.ArithmeticPicojoules / Measured.TotalPicojoules;
    /// <summary>Whether the node prices register bits (a node file without a <c>register</c> entry leaves them at 0).</summary>
    public bool RegistersPriced => Node.Register is not null;
}

/// <summary>
/// Energy from the simulator's activity counters (docs/energy.md, "Simulation-driven model").
/// Each addition is priced at its own width (<see cref="TechnologyNode.AddPicojoules"/>), each
/// multiply likewise; every SRAM bit read or written at the per-bit cost of the smallest tabulated
/// SRAM that holds that memory (writes cost as much as reads); every register bit written at the node's
/// register entry (unpriced if the node has none). Baselines for the same workload, charged the
/// simulated register bits too (a lower bound for them: their operands and sums are wider):
/// <list type="bullet">
/// <item>pe: mac (only projected from a ternary run): one INT8 × INT(actBits) multiply per term, and
/// the same additions 7 bits wider (an 8-bit weight product has actBits + 8 bits, a ternary term
/// actBits + 1); weight traffic × 4 (8-bit instead of 2-bit weights).</item>
/// <item>FP16 MAC: one FP16 multiply and one FP16 add per term; weight traffic × 8 (16 vs 2 bits),
/// activation traffic × 16 / actBits; instruction and output traffic unchanged.</item>
/// </list>
/// The zero-weight figure is the share of the addition energy that belongs to zero-weight terms
/// (additions × zero terms / all terms): what a design that gates zero weights could save.
/// </summary>
public static class SimEnergyModel
{
    public const int MacExtraAdderBits = 7;

    /// <summary>Prices a simulated run at <paramref name="node"/>: <c>SimResult.ToReport()</c> in process, or <see cref="SimulationReport.Load"/> from a file.</summary>
    public static SimEnergyResult Estimate(SimulationReport report, TechnologyNode node)
    {
        HardwareConfig c = report.Config;
        ActivityRecord a = report.Activity;
        double adds = a.AdditionsByWidthBits.Sum(kv => kv.Value * node.AddPicojoules(kv.Key));
        double muls = a.MultipliesByWidthBits.Sum(kv => kv.Value * node.IntPicojoules(ArithmeticOp.Mul, kv.Key));
        double registers = a.RegisterBitsWritten * (node.Register?.PicojoulesPerBit ?? 0);
        var measured = new DatapathEnergy(c.Pe == PeKind.Ternary ? "ternary (simulated)" : "mac (simulated)", adds, muls, Memories(c, a, node, 1, 1), registers);
        double zero = c.Pe == PeKind.Ternary && a.TermsTotal > 0 ? adds * a.TermsZeroWeight / a.TermsTotal : 0;
        DatapathEnergy? mac = null;
        if (c.Pe == PeKind.Ternary)
        {
            double macAdds = a.AdditionsByWidthBits.Sum(kv => kv.Value * node.AddPicojoules(kv.Key + MacExtraAdderBits));
            double macMuls = a.TermsTotal * node.IntPicojoules(ArithmeticOp.Mul, Math.Max(8, c.ActBits));
            mac = new DatapathEnergy("INT8 mac (projected)", macAdds, macMuls, Memories(c, a, node, 8.0 / c.WeightBits, 1), registers);
        }
        var fp16 = new DatapathEnergy("FP16 MAC (projected)",
            a.TermsTotal * node.Exact(ArithmeticOp.Add, NumberFormat.Fp, 16),
            a.TermsTotal * node.Exact(ArithmeticOp.Mul, NumberFormat.Fp, 16),
            Memories(c, a, node, 16.0 / c.WeightBits, 16.0 / c.ActBits), registers);
        return new SimEnergyResult(report, node, measured, zero, mac, fp16);
    }

    private static IReadOnlyList<MemoryEnergy> Memories(HardwareConfig c, ActivityRecord a, TechnologyNode node, double weightScale, double actScale)
    {
        MemoryEnergy Mem(string name, long words, long wordBits, long bits, double scale)
        {
            long capacity = (long)Math.Ceiling(words * wordBits * scale / 8);
            return new MemoryEnergy(name, capacity, (long)Math.Round(bits * scale), node.SramFor(capacity));
        }
        return
        [
            Mem("weight", c.WeightDepth, c.WeightWordBits, a.SramReadBits.Weight + a.SramWriteBits.Weight, weightScale),
            Mem("activation", c.ActDepth, c.ActWordBits, a.SramReadBits.Activation + a.SramWriteBits.Activation, actScale),
            Mem("instruction", c.InstrDepth, 32, a.SramReadBits.Instruction + a.SramWriteBits.Instruction, 1),
            Mem("output", c.OutDepth, c.OutWordBits, a.SramReadBits.Output + a.SramWriteBits.Output, 1),
        ];
    }
}
