using Bit1HW.Core.Text;
using Bit1HW.Core;
using System.Globalization;
using System.Numerics;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Gen;

namespace Bit1HW.HdlGen.Tests;

/// <summary>
/// Drives the generated PE alone under iverilog with vectors whose dot products this test computes
/// from Core's ternary code, and checks every result appears exactly PeLatencyCycles cycles after
/// its inputs (and nothing else appears). A ternary PE's result is out_sum + out_carry (the last
/// +1 correction of its ones' complement terms, which the accumulator takes as a carry-in).
/// </summary>
public class PeHarnessTests
{
    [ToolTheory("iverilog", "vvp")]
    [InlineData(1, 8, 1, "ternary", 11)]
    [InlineData(3, 4, 1, "ternary", 12)]
    [InlineData(7, 8, 2, "ternary", 13)]
    [InlineData(16, 8, 2, "ternary", 14)]
    [InlineData(33, 8, 3, "ternary", 15)]
    [InlineData(5, 8, 1, "mac", 16)]
    [InlineData(8, 4, 2, "mac", 17)]
    public void Pe_computes_the_reference_dot_product_with_exactly_L_cycles_latency(int lanes, int actBits, int pipeEvery, string pe, int seed)
    {
        var cfg = Configs.Small(lanes, 1, actBits, pipeEvery, pe == "mac" ? PeKind.Mac : PeKind.Ternary);
        string? mismatch = RunHarness(cfg, GeneratorFaults.None, seed);
        Assert.True(mismatch is null, $"seed {seed}, {cfg.Tag}: {mismatch}");
    }

    [ToolTheory("iverilog", "vvp")]
    [InlineData("FlipWeightDecode")]
    [InlineData("DropPipelineRegister")]
    public void The_harness_catches_an_injected_fault(string faultName)
    {
        var fault = Enum.Parse<GeneratorFaults>(faultName);
        var cfg = Configs.Small(7, 1, 8, 1);
        Assert.NotNull(RunHarness(cfg, fault, 99));
    }

    /// <summary>Vectors: worst cases first (all most-negative activations with all +1, then all -1
    /// weights; all most-positive with all -1; weights all 0 and the never-written code 10), then
    /// random ones, with idle cycles in between so the valid pipeline is exercised.</summary>
    private static List<(long[] Act, int[] Code)?> Vectors(HardwareConfig cfg, int seed)
    {
        var rng = new SplitMix64(seed);
        long lo = -(1L << (cfg.ActBits - 1)), hi = (1L << (cfg.ActBits - 1)) - 1;
        int n = cfg.Lanes;
        int Code(long w) => cfg.Pe == PeKind.Ternary ? TernaryCode.Encode((sbyte)w) : (int)(w & 0xFF);
        long maxW = cfg.Pe == PeKind.Ternary ? 1 : 127, minW = cfg.Pe == PeKind.Ternary ? -1 : -128;
        var v = new List<(long[], int[])?>
        {
            (Fill(n, lo), Enumerable.Repeat(Code(maxW), n).ToArray()),
            (Fill(n, lo), Enumerable.Repeat(Code(minW), n).ToArray()),
            (Fill(n, hi), Enumerable.Repeat(Code(minW), n).ToArray()),
            null,
            (Fill(n, lo), Enumerable.Repeat(Code(0), n).ToArray()),
        };
        if (cfg.Pe == PeKind.Ternary) v.Add((Fill(n, lo), Enumerable.Repeat((int)TernaryCode.Invalid, n).ToArray()));
        for (int i = 0; i < 40; i++)
        {
            if (rng.Next(5) == 0) { v.Add(null); continue; }
            var a = Enumerable.Range(0, n).Select(_ => rng.NextInt64(lo, hi + 1)).ToArray();
            var c = Enumerable.Range(0, n).Select(_ => Code(rng.NextInt64(minW, maxW + 1))).ToArray();
            v.Add((a, c));
        }
        return v;
    }

    private static long[] Fill(int n, long value) => Enumerable.Repeat(value, n).ToArray();

    private static long Reference(HardwareConfig cfg, long[] act, int[] code)
    {
        long sum = 0;
        for (int j = 0; j < act.Length; j++)
        {
            long w = cfg.Pe == PeKind.Mac ? (sbyte)(byte)code[j]
                : code[j] == TernaryCode.Invalid ? 0 : TernaryCode.Decode(code[j], j);
            sum += act[j] * w;
        }
        return sum;
    }

    /// <summary>Runs the harness; returns a description of the first mismatch, or null.</summary>
    internal static string? RunHarness(HardwareConfig cfg, GeneratorFaults faults, int seed)
    {
        using var g = new GeneratedDir(cfg, faults);
        var vectors = Vectors(cfg, seed);
        int latency = cfg.PeLatencyCycles;
        File.WriteAllText(Path.Combine(g.Path, "tb.v"), Bench(cfg, vectors));
        string pe = RtlGenerator.PeModule(cfg) + ".v";
        var c = Tools.Run("iverilog", g.Path, "-g2012", "-o", "pe.vvp", "-s", "tb", "tb.v", pe);
        Assert.True(c.ExitCode == 0, c.Stderr + c.Stdout);
        var r = Tools.Run("vvp", g.Path, "-n", "pe.vvp");
        var seen = new Dictionary<int, long>();
        foreach (string line in r.Stdout.Split('\n').Where(l => l.StartsWith("OUT ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            seen[int.Parse(parts[1], CultureInfo.InvariantCulture)] = long.Parse(parts[2], CultureInfo.InvariantCulture);
        }
        var expected = new Dictionary<int, long>();
        for (int i = 0; i < vectors.Count; i++)
            if (vectors[i] is { } vec) expected[i + latency] = Reference(cfg, vec.Act, vec.Code);
        foreach (var (cycle, value) in expected.OrderBy(kv => kv.Key))
        {
            if (!seen.TryGetValue(cycle, out long got))
                return $"vector {cycle - latency}: no valid output in cycle {cycle} (expected {value}); outputs at cycles {string.Join(",", seen.Keys.Order())}";
            if (got != value) return $"vector {cycle - latency}: got {got}, expected {value}";
        }
        var extra = seen.Keys.Except(expected.Keys).Order().ToArray();
        return extra.Length == 0 ? null : $"unexpected valid outputs in cycles {string.Join(",", extra)}";
    }

    /// <summary>The Icarus testbench (template <c>Templates/pe_tb.v.sbn</c>): one vector per cycle, then the latency drained.</summary>
    private static string Bench(HardwareConfig cfg, List<(long[] Act, int[] Code)?> vectors)
    {
        int total = vectors.Count + cfg.PeLatencyCycles + 3;
        var rows = new List<object>();
        for (int i = 0; i < total; i++)
        {
            BigInteger a = 0, w = 0;
            if (i < vectors.Count && vectors[i] is { } vec)
                for (int j = 0; j < cfg.Lanes; j++)
                {
                    a |= (BigInteger)(vec.Act[j] & ((1L << cfg.ActBits) - 1)) << (j * cfg.ActBits);
                    w |= (BigInteger)vec.Code[j] << (j * cfg.WeightBits);
                }
            rows.Add(new { act = a.ToString("x", CultureInfo.InvariantCulture), wgt = w.ToString("x", CultureInfo.InvariantCulture),
                valid = i < vectors.Count && vectors[i] is not null ? 1 : 0 });
        }
        // A ternary PE leaves its root's +1 correction on out_carry: the dot product is out_sum + out_carry.
        var model = new
        {
            aw = cfg.ActWordBits, ww = cfg.Lanes * cfg.WeightBits, out_bits = cfg.PeOutBits, total, pe = RtlGenerator.PeModule(cfg),
            carry = PeGenerator.HasCarryOut(cfg), vectors = rows,
        };
        return TextTemplate.Render(typeof(PeHarnessTests).Assembly, "templates/pe_tb.v.sbn", model);
    }
}
