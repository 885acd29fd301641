using Bit1HW.Energy.Simulation;
using Bit1HW.Core.Text;

namespace Bit1HW.Energy.Reporting;

/// <summary>The terminal report of the simulation-driven model.</summary>
public static class SimText
{
    public static void Write(TextWriter w, SimEnergyResult r)
    {
        var a = r.Report.Activity;
        w.Write($"simulated workload on {r.Report.Config.Tag}: {r.Tokens} tokens x {r.Report.Workload.OutFeatures} outputs x {r.Report.Workload.InFeatures} inputs, " +
                $"{r.Report.Cycles} cycles, node {r.Node.Name}\n");
        w.Write($"energy per token            {Units.Energy(r.PicojoulesPerToken)}\n");
        w.Write($"arithmetic per term         {Units.Energy(r.ArithmeticPicojoulesPerTerm)} ({a.TermsTotal} terms)\n");
        w.Write($"zero-weight terms           {a.TermsZeroWeight} of {a.TermsTotal}: {Units.Energy(r.ZeroWeightPicojoules)} of addition energy a gated design could skip\n");
        w.Write($"shares of energy            arithmetic {Units.Percent(r.ArithmeticShare)}, SRAM {Units.Percent(r.SramShare)}, registers {Units.Percent(r.RegisterShare)}\n");
        w.Write(r.RegistersPriced
            ? $"register bits written       {a.RegisterBitsWritten} at {r.Node.Register!.PicojoulesPerBit.ToString(System.Globalization.CultureInfo.InvariantCulture)} pJ/bit: {Units.Energy(r.Measured.RegisterPicojoules)} (baselines charged the same bits)\n\n"
            : $"register bits written       {a.RegisterBitsWritten} (not priced: node '{r.Node.Name}' has no register entry)\n\n");
        var t = new TextTable("datapath", "additions", "multiplies", "SRAM", "registers", "total", "per token", "total vs simulated", "arithmetic vs simulated");
        foreach (var d in new[] { r.Measured, r.MacBaseline, r.Fp16Baseline }.OfType<DatapathEnergy>())
            t.Add(d.Name, Units.Energy(d.AdditionPicojoules), Units.Energy(d.MultiplyPicojoules), Units.Energy(d.SramPicojoules),
                Units.Energy(d.RegisterPicojoules), Units.Energy(d.TotalPicojoules), Units.Energy(d.TotalPicojoules / r.Tokens), Units.Ratio(d.TotalPicojoules / r.Measured.TotalPicojoules),
                Units.Ratio(d.ArithmeticPicojoules / r.Measured.ArithmeticPicojoules));
        t.WriteTo(w);
        w.Write("\nSRAM traffic (priced at the smallest table SRAM that holds each memory)\n");
        var m = new TextTable("memory", "capacity", "bits moved", "table SRAM", "energy");
        foreach (var e in r.Measured.Memories)
            m.Add(e.Memory, Units.Bytes(e.CapacityBytes), e.Bits.ToString(System.Globalization.CultureInfo.InvariantCulture), Units.Bytes(e.Sram.CapacityBytes), Units.Energy(e.Picojoules));
        m.WriteTo(w);
    }
}
