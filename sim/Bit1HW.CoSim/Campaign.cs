using System.Diagnostics;
using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim;

/// <summary>One failing campaign case: enough to replay it alone (configuration, case index, case seed, kind, stimulus) and what differed.
/// Directed cases are numbered d0, d1, ... in the order of <see cref="DirectedCases.Kinds"/>.</summary>
public sealed record CampaignFailure(int Config, string Design, string Case, int CaseSeed, CaseKind Kind, string Stimulus, string What);

/// <summary>The outcome of <see cref="Campaign.Run"/>: cases run (directed ones included), cycles compared on every
/// port, failures (at most the limit asked for), and each configuration's coverage.</summary>
public sealed record CampaignResult(int Seed, int Cases, int DirectedCases, long CyclesCompared, IReadOnlyList<CampaignFailure> Failures,
    IReadOnlyList<CoverageReport> Coverage, TimeSpan Elapsed)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// A randomized co-simulation campaign: for each configuration, the design is generated and built
/// once (Verilator model cached), then its directed cases (<see cref="DirectedCases"/>) and its share
/// of the random cases run three ways: compiled layers against Core's reference too, raw programs
/// simulator against RTL. Each case has its own seed derived from the campaign seed, printed with
/// any failure, so a failure can be replayed alone. Coverage is measured on the simulator.
/// </summary>
public static class Campaign
{
    /// <summary>The kinds random cases cycle through: seven layer kinds and two program kinds.</summary>
    public static IReadOnlyList<CaseKind> RandomKinds { get; } =
    [
        CaseKind.Random, CaseKind.AllZeroWeights, CaseKind.PlusOneTimesMinActivation, CaseKind.MinusOneTimesMinActivation,
        CaseKind.MaxActivations, CaseKind.ExtremesMixed, CaseKind.Sparse, CaseKind.RandomProgram, CaseKind.ProgramFromReset,
    ];

    /// <summary>
    /// Spreads <paramref name="cases"/> seeded random cases over the designs after each design's
    /// directed cases (unless <paramref name="directed"/> is false), logging one line per design;
    /// stops a design after <paramref name="maxFailures"/> failures.
    /// </summary>
    public static CampaignResult Run(int seed, int cases, IReadOnlyList<DesignUnderTest> designs, TextWriter log,
        int maxFailures = 10, bool directed = true)
    {
        var sw = Stopwatch.StartNew();
        var parts = new List<DesignResult>();
        for (int d = 0; d < designs.Count; d++)
        {
            DesignResult r = RunDesign(seed, d, Share(cases, designs.Count, d), designs[d], log, maxFailures, directed);
            parts.Add(r);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{d + 1}/{designs.Count}] {designs[d].Description}: {r.Cases} cases ({r.DirectedCases} directed), {r.Failures.Count} failures ({parts.Sum(p => p.Cases)} done, {sw.Elapsed.TotalSeconds:F1} s)"));
        }
        return new CampaignResult(seed, parts.Sum(p => p.Cases), parts.Sum(p => p.DirectedCases), parts.Sum(p => p.CyclesCompared),
            parts.SelectMany(p => p.Failures).ToList(), parts.Select(p => p.Coverage).ToList(), sw.Elapsed);
    }

    /// <summary>Random cases of configuration <paramref name="config"/> when <paramref name="cases"/> are spread over <paramref name="configs"/>.</summary>
    public static int Share(int cases, int configs, int config) => cases / configs + (config < cases % configs ? 1 : 0);

    /// <summary>One configuration's part of a campaign: what <see cref="RunDesign"/> ran and found.</summary>
    public sealed record DesignResult(int Cases, int DirectedCases, long CyclesCompared, IReadOnlyList<CampaignFailure> Failures, CoverageReport Coverage);

    /// <summary>
    /// Configuration <paramref name="config"/>'s part of a campaign on <paramref name="design"/>: its
    /// directed cases, then <paramref name="share"/> random cases, seeded as in <see cref="Run"/>, so a
    /// mutant of the design meets exactly the cases the real design passed.
    /// </summary>
    public static DesignResult RunDesign(int seed, int config, int share, DesignUnderTest design, TextWriter log,
        int maxFailures = 10, bool directed = true)
    {
        var collector = new CoverageCollector(design.Config);
        var failures = new List<CampaignFailure>();
        long cycles = 0;
        int done = 0, directedDone = 0;
        var plan = (directed ? DirectedCases.Kinds.Select((k, i) => ($"d{i}", CaseSeed(seed, config, DirectedOffset + i), k)) : [])
            .Concat(Enumerable.Range(0, share).Select(c => (c.ToString(CultureInfo.InvariantCulture), CaseSeed(seed, config, c), RandomKinds[c % RandomKinds.Count])));
        foreach (var (name, caseSeed, kind) in plan)
        {
            if (failures.Count >= maxFailures) break;
            if (Stimulus(design.Config, caseSeed, kind) is not { } stimulus) continue;
            using var sim = design.NewSimulator();
            using var rtl = design.NewVerilator();
            CaseReport r = stimulus.Run([collector.Observe(sim), rtl]);
            cycles += r.Lockstep.CyclesRun;
            done++;
            if (name.StartsWith('d')) directedDone++;
            if (r.Agrees) continue;
            var f = new CampaignFailure(config, design.Description, name, caseSeed, kind, stimulus.Describe, r.Describe());
            failures.Add(f);
            log.WriteLine($"  FAIL {Describe(f)}");
        }
        return new DesignResult(done, directedDone, cycles, failures, collector.Report());
    }

    /// <summary>Directed case i of configuration d draws from case seed CaseSeed(seed, d, DirectedOffset + i).</summary>
    public const int DirectedOffset = 1_000_000;

    public static string Describe(CampaignFailure f) =>
        $"config {f.Config} ({f.Design}) case {f.Case} seed {f.CaseSeed} kind {f.Kind} {f.Stimulus}: {f.What}";

    /// <summary>Deterministic per-case seed (not string.GetHashCode, which is randomized per process).</summary>
    public static int CaseSeed(int seed, int config, int @case) =>
        (int)((uint)seed * 2654435761u ^ (uint)config * 40503u ^ (uint)@case * 2246822519u) & int.MaxValue;

    /// <summary>What one case drives: a compiled layer or a program; null for a directed layer the configuration cannot hold.</summary>
    internal sealed record CaseStimulus(string Describe, Func<IReadOnlyList<ITopModel>, CaseReport> Run);

    internal static CaseStimulus? Stimulus(HardwareConfig cfg, int caseSeed, CaseKind kind)
    {
        if (kind is CaseKind.RandomProgram or CaseKind.ProgramFromReset or CaseKind.ProgramFillsImem)
        {
            ProgramCase p = RandomPrograms.Make(cfg, new SplitMix64(caseSeed), kind);
            return new CaseStimulus(p.Describe(), models => CoSimulation.RunProgram(p, models));
        }
        Layer layer;
        ProgramImage image;
        if (DirectedCases.Kinds.Contains(kind))
        {
            if (DirectedCases.Layer(cfg, new SplitMix64(caseSeed), kind) is not { } directed) return null;
            (layer, image) = (directed, LayerCompiler.Compile(directed, cfg).Image);
        }
        else
        {
            (layer, image) = MakeCase(cfg, caseSeed, kind);
        }
        var s = layer.Shape;
        return new CaseStimulus($"layer t={s.Tokens} out={s.OutFeatures} in={s.InFeatures}", models => CoSimulation.RunCase(layer, image, models));
    }

    /// <summary>A random layer that compiles for the configuration; shapes the compiler rejects as too big are resampled.</summary>
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
