using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim.Tests;

// Coverage is measured on the simulator's registers; these tests drive the simulator alone.
public class CoverageTests
{
    private static readonly HardwareConfig Cfg = CaseGenerator.Configs(20261122, 6)[2];

    private static CoverageReport Measure(params CaseKind[] kinds)
    {
        var collector = new CoverageCollector(Cfg);
        for (int i = 0; i < kinds.Length; i++)
        {
            var stimulus = Campaign.Stimulus(Cfg, 100 + i, kinds[i]) ?? throw new InvalidOperationException($"{kinds[i]} does not fit {Cfg.Tag}");
            CaseReport r = stimulus.Run([collector.Observe(new SimulatorModel(new Engine(Cfg)))]);
            Assert.True(r.Agrees, r.Describe());
        }
        return collector.Report();
    }

    [Fact]
    public void The_directed_maxK_layers_need_and_toggle_the_top_accumulator_bit_and_hit_both_bounds()
    {
        CoverageReport c = Measure(CaseKind.MaxKAlternatingSigns, CaseKind.MaxKMostPositive);
        Assert.True(c.TopBitToggled);
        Assert.True(c.TopBitNeeded);
        Assert.Equal(Cfg.AccBits, c.Accumulator.WidestValueBits);
        Assert.True(c.Accumulator.PositiveBoundReached && c.Accumulator.NegativeBoundReached, string.Join("\n", CoverageText.Lines(c)));
        Assert.Equal(c.Accumulator.PositiveBound, c.Accumulator.Max);
        Assert.Equal(c.Accumulator.NegativeBound, c.Accumulator.Min);
        Assert.Equal((double)c.Accumulator.Max / (1 << (Cfg.AccBits - 1)), c.Accumulator.MaxAbsFractionOfRange, 6);
        Assert.DoesNotContain(CoverageText.Lines(c), l => l.Contains("top bit", StringComparison.Ordinal) && l.Contains("WARNING", StringComparison.Ordinal));
    }

    [Fact]
    public void A_campaign_of_small_layers_says_that_no_value_needed_the_top_accumulator_bit()
    {
        // What `verify` ran before issue 13: random layers of at most 4·lanes + 3 inputs. Their
        // negative sums still toggle every upper bit (two's complement sign extension), which is
        // why the report also gives the widest value.
        CoverageReport c = Measure(CaseKind.MaxActivations, CaseKind.Random, CaseKind.ExtremesMixed, CaseKind.PlusOneTimesMinActivation);
        Assert.True(c.TopBitToggled);
        Assert.False(c.TopBitNeeded);
        Assert.True(c.Accumulator.WidestValueBits < Cfg.AccBits - 1, $"widest {c.Accumulator.WidestValueBits}");
        Assert.False(c.Accumulator.PositiveBoundReached);
        string[] lines = [.. CoverageText.Lines(c)];
        Assert.Contains(lines, l => l.Contains($"WARNING: no accumulator value needed the top bit on {Cfg.Tag}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("NOT reached", StringComparison.Ordinal));
    }

    [Fact]
    public void An_all_zero_campaign_leaves_the_top_bit_untoggled_and_the_report_says_so()
    {
        CoverageReport c = Measure(CaseKind.AllZeroWeights);
        Assert.False(c.TopBitToggled);
        Assert.Equal(0, c.Accumulator.Max);
        Assert.Contains(CoverageText.Lines(c), l => l.Contains($"WARNING: accumulator bit {Cfg.AccBits - 1} (the top bit) never toggled", StringComparison.Ordinal));
    }

    [Fact]
    public void Memory_and_opcode_coverage_counts_what_the_programs_executed()
    {
        CoverageReport c = Measure(CaseKind.FillsMemories, CaseKind.ProgramFillsImem);
        MemoryCoverage imem = c.Memories.Single(m => m.Memory == "imem"), wmem = c.Memories.Single(m => m.Memory == "wmem");
        Assert.Equal(Cfg.InstrDepth, imem.Distinct);
        Assert.True(imem.CarryIntoTopBit);
        Assert.Equal(Cfg.WeightDepth, wmem.Distinct);
        Assert.True(wmem.CarryIntoTopBit);
        Assert.Null(c.Memories.Single(m => m.Memory == "omem").Wrapped);
        OpcodeCoverage halt = c.Opcodes.Single(o => o.Opcode == "HALT");
        Assert.Equal(2, halt.Executed);
        Assert.Equal(2, c.Cases);
    }

    [Fact]
    public void The_coverage_json_is_byte_stable_and_names_the_top_bit()
    {
        string a = CoverageText.Json(7, [Measure(CaseKind.MaxKMostPositive)]), b = CoverageText.Json(7, [Measure(CaseKind.MaxKMostPositive)]);
        Assert.Equal(a, b);
        Assert.Contains("\"topBitToggled\": false", a);   // every sum of this layer is positive: the sign bit never rises
        Assert.Contains("\"measuredOn\": \"C# simulator registers\"", a);
        Assert.DoesNotContain("\r", a);
    }
}
