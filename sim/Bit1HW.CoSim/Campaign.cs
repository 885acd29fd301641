using System.Diagnostics;
using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim;

/// <summary>One failing campaign case: enough to replay it alone (configuration, case index, case seed, kind, shape) and what differed.</summary>
public sealed record CampaignFailure(int Config, string Design, int Case, int CaseSeed, CaseKind Kind, Workload Shape, string What);

/// <summary>The outcome of <see cref="Campaign.Run"/>: cases run, cycles compared on every port, failures (at most the limit asked for).</summary>
public sealed record CampaignResult(int Seed, int Cases, long CyclesCompared, IReadOnlyList<CampaignFailure> Failures, TimeSpan Elapsed)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// A randomized co-simulation campaign: for each configuration, the design is generated and built
/// once (Verilator model cached), then many layers run three ways. Each case has its own seed
/// derived from the campaign seed, printed with any failure, so a failure can be replayed alone.
/// </summary>
public static class Campaign
{
    /// <summary>Spreads <paramref name="cases"/> seeded cases over the designs, logging one line per design; stops a design after <paramref name="maxFailures"/> failures.</summary>
    public static CampaignResult Run(int seed, int cases, IReadOnlyList<DesignUnderTest> designs, TextWriter log,
        int maxFailures = 10)
    {
        var sw = Stopwatch.StartNew();
        var failures = new List<CampaignFailure>();
        long cycles = 0;
        int done = 0;
        for (int d = 0; d < designs.Count; d++)
        {
            DesignUnderTest design = designs[d];
            int share = cases / designs.Count + (d < cases % designs.Count ? 1 : 0);
            int before = failures.Count;
            for (int c = 0; c < share && failures.Count < maxFailures; c++)
            {
                int caseSeed = CaseSeed(seed, d, c);
                var kind = (CaseKind)(c % Enum.GetValues<CaseKind>().Length);
                var (layer, image) = MakeCase(design.Config, caseSeed, kind);
                using var sim = design.NewSimulator();
                using var rtl = design.NewVerilator();
                CaseReport r = CoSimulation.RunCase(layer, image, [sim, rtl]);
                cycles += r.Lockstep.CyclesRun;
                done++;
                if (!r.Agrees)
                {
                    var f = new CampaignFailure(d, design.Description, c, caseSeed, kind, layer.Shape, r.Describe());
                    failures.Add(f);
                    log.WriteLine($"  FAIL {Describe(f)}");
                }
            }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{d + 1}/{designs.Count}] {design.Description}: {share} cases, {failures.Count - before} failures ({done} done, {sw.Elapsed.TotalSeconds:F1} s)"));
        }
        return new CampaignResult(seed, done, cycles, failures, sw.Elapsed);
    }

    public static string Describe(CampaignFailure f) =>
        $"config {f.Config} ({f.Design}) case {f.Case} seed {f.CaseSeed} kind {f.Kind} shape t={f.Shape.Tokens} out={f.Shape.OutFeatures} in={f.Shape.InFeatures}: {f.What}";

    /// <summary>Deterministic per-case seed (not string.GetHashCode, which is randomized per process).</summary>
    public static int CaseSeed(int seed, int config, int @case) =>
        (int)((uint)seed * 2654435761u ^ (uint)config * 40503u ^ (uint)@case * 2246822519u) & int.MaxValue;

    /// <summary>A layer that compiles for the configuration; shapes the compiler rejects as too big are resampled.</summary>
    public static (Layer Layer, ProgramImage Image) MakeCase(HardwareConfig cfg, int caseSeed, CaseKind kind)
    {
        var rng = new SplitMix64(caseSeed);
        for (int attempt = 0; attempt < 100; attempt++)
        {
            Layer layer = CaseGenerator.Layer(cfg, rng, kind);
            try
            {
                return (layer, LayerCompiler.Compile(layer, cfg).Image);
            }
            catch (UserInputException)
            {
                // Does not fit this configuration's memories: draw another shape.
            }
        }
        throw new InvalidOperationException($"no layer of kind {kind} fits {cfg.Tag} (seed {caseSeed})");
    }
}
