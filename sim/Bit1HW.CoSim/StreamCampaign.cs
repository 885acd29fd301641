using System.Diagnostics;
using System.Globalization;
using Bit1HW.Core.Hardware;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>
/// The randomized campaign of streaming engines (issue 12): every design runs seeded layers under
/// every memory model, three ways (reference, simulator, RTL), with the AXI protocol checker on, the
/// cycles checked against the compiler's prediction under the timing models and against N_static + the
/// counted stalls under random backpressure. Each case's seed, and each backpressure model's seed, is
/// derived from the campaign seed and printed with any failure.
/// </summary>
public static class StreamCampaign
{
    /// <summary>Three streaming configurations that cover the ring geometries: a beat holding two words,
    /// a word spanning four beats (one-burst rings at the minimum depth), and base3 packing.</summary>
    public static IReadOnlyList<HardwareConfig> Configs() =>
    [
        Make(16, 2, 2, 8, new StreamConfig { AxiDataBits = 128, AxiAddrBits = 32, BurstBeats = 4, MaxOutstanding = 2 }, 64),
        Make(16, 4, 1, 8, new StreamConfig { AxiDataBits = 32, AxiAddrBits = 40, BurstBeats = 8, MaxOutstanding = 3 }, 16),
        Make(8, 2, 3, 4, new StreamConfig { AxiDataBits = 64, AxiAddrBits = 32, BurstBeats = 4, MaxOutstanding = 2, Packing = WeightPacking.Base3 }, 64),
    ];

    private static HardwareConfig Make(int lanes, int rows, int pipeEvery, int actBits, StreamConfig stream, int weightDepth) => new HardwareConfig
    {
        Lanes = lanes, Rows = rows, PipeEvery = pipeEvery, ActBits = actBits, WeightDepth = weightDepth,
        ActDepth = 32, OutDepth = 32, InstrDepth = 128, MaxK = 32 * lanes, Stream = stream,
    }.Validate();

    /// <summary>The memories of a campaign: the stated timing model, a slower memory, a fractional beat rate and random backpressure (seeded).</summary>
    public static IReadOnlyList<MemoryModel> Memories(int seed) =>
    [
        MemoryModel.Nominal(new MemoryTiming(6)),
        MemoryModel.Slower(new MemoryTiming(6)),
        MemoryModel.Nominal(new MemoryTiming(3, 2, 3)),
        MemoryModel.RandomBackpressure(new MemoryTiming(4), (ulong)(uint)Campaign.CaseSeed(seed, 99, 0)),
    ];

    public static CampaignResult Run(int seed, int casesPerMemory, IReadOnlyList<DesignUnderTest> designs, TextWriter log, int maxFailures = 10)
    {
        var sw = Stopwatch.StartNew();
        var failures = new List<CampaignFailure>();
        IReadOnlyList<MemoryModel> memories = Memories(seed);
        long cycles = 0;
        int done = 0;
        for (int d = 0; d < designs.Count; d++)
        {
            DesignUnderTest design = designs[d];
            int before = failures.Count;
            for (int m = 0; m < memories.Count; m++)
                for (int c = 0; c < casesPerMemory && failures.Count < maxFailures; c++)
                {
                    int index = m * casesPerMemory + c;
                    int caseSeed = Campaign.CaseSeed(seed, d, index);
                    CaseKind kind = Campaign.RandomLayerKinds[index % Campaign.RandomLayerKinds.Count];
                    var (layer, image) = Campaign.MakeCase(design.Config, caseSeed, kind);
                    using var sim = design.NewSimulator();
                    using var rtl = design.NewVerilator();
                    CaseReport r = CoSimulation.RunCase(layer, image, [sim, rtl], memories[m]);
                    cycles += r.Lockstep.CyclesRun;
                    done++;
                    if (r.Agrees) continue;
                    var f = new CampaignFailure(d, design.Description, index.ToString(CultureInfo.InvariantCulture), caseSeed, kind,
                        $"layer t={layer.Shape.Tokens} out={layer.Shape.OutFeatures} in={layer.Shape.InFeatures}", r.Describe());
                    failures.Add(f);
                    log.WriteLine($"  FAIL {Campaign.Describe(f)}");
                }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{d + 1}/{designs.Count}] {design.Description}: {memories.Count} memories × {casesPerMemory} cases, {failures.Count - before} failures ({sw.Elapsed.TotalSeconds:F1} s)"));
        }
        return new CampaignResult((ulong)(uint)seed, done, 0, cycles, failures, [], sw.Elapsed);
    }
}
