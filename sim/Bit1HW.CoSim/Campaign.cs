using System.Diagnostics;
using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim;

/// <summary>One failing campaign case: enough to replay it alone (configuration, case name, case seed, kind, stimulus) and what
/// differed. Directed cases are named d0, d1, ... in the order of <see cref="DirectedCases.Kinds"/>, random ones 0, 1, ...</summary>
/// <param name="Number">The case's number in the whole campaign (0-based, in run order): what <c>verify --case</c> takes.</param>
public sealed record CampaignFailure(int Config, string Design, string Case, int CaseSeed, CaseKind Kind, string Stimulus, string What, int Number = -1);

/// <summary>One finished case, as <see cref="Campaign.Run(ulong, int, int, Func{int, DesignUnderTest}, TextWriter, int, Action{CampaignCaseResult}?, bool)"/> reports it.</summary>
public sealed record CampaignCaseResult(int Number, int Config, string Design, string Case, int CaseSeed, CaseKind Kind, string Stimulus,
    long Cycles, TimeSpan Elapsed, string? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>The outcome of a campaign: cases run (directed ones included), cycles compared on every port, failures (at most
/// the limit asked for), and each configuration's coverage (for the configurations that ran).</summary>
public sealed record CampaignResult(ulong Seed, int Cases, int DirectedCases, long CyclesCompared, IReadOnlyList<CampaignFailure> Failures,
    IReadOnlyList<CoverageReport> Coverage, TimeSpan Elapsed)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// A co-simulation campaign: for each configuration, the design is generated and built once
/// (Verilator model cached), then its directed cases (<see cref="DirectedCases"/>) and its share of
/// the random cases run: compiled layers three ways, raw programs simulator against RTL. Each case
/// has its own seed derived from the campaign seed, printed with any failure, so a failure can be
/// replayed alone (<see cref="Locate"/>, <see cref="Plan"/>, <see cref="Stimulus"/>). Cases are
/// numbered in run order: configuration 0's directed cases, then its random ones, then
/// configuration 1's, and so on. Coverage is measured on the simulator.
/// </summary>
public static class Campaign
{
    /// <summary>The kinds of random case that are a compiled layer (the campaigns that drive layers only, such as the streaming one, draw from these).</summary>
    public static IReadOnlyList<CaseKind> RandomLayerKinds { get; } =
    [
        CaseKind.Random, CaseKind.AllZeroWeights, CaseKind.PlusOneTimesMinActivation, CaseKind.MinusOneTimesMinActivation,
        CaseKind.MaxActivations, CaseKind.ExtremesMixed, CaseKind.Sparse,
    ];

    /// <summary>The kinds random cases cycle through: seven layer kinds and two program kinds.</summary>
    public static IReadOnlyList<CaseKind> RandomKinds { get; } =
    [
        .. RandomLayerKinds, CaseKind.RandomProgram, CaseKind.ProgramFromReset,
    ];

    /// <summary>Directed case i of configuration d draws from case seed CaseSeed(seed, d, DirectedOffset + i).</summary>
    public const int DirectedOffset = 1_000_000;

    /// <summary>The campaign over built designs, with every configuration's directed cases.</summary>
    public static CampaignResult Run(int seed, int cases, IReadOnlyList<DesignUnderTest> designs, TextWriter log,
        int maxFailures = 10) =>
        Run(unchecked((ulong)(long)seed), cases, designs.Count, d => designs[d], log, maxFailures);

    /// <summary>
    /// The campaign with each design obtained (built) only when its cases are about to run, so the
    /// first configuration's cases run while later ones are not built yet; <paramref name="onCase"/>
    /// sees every case as it finishes. Stops after <paramref name="maxFailures"/> failures.
    /// </summary>
    public static CampaignResult Run(ulong seed, int cases, int designCount, Func<int, DesignUnderTest> design, TextWriter log,
        int maxFailures = 10, Action<CampaignCaseResult>? onCase = null, bool directed = true)
    {
        var sw = Stopwatch.StartNew();
        var parts = new List<DesignResult>();
        for (int d = 0; d < designCount; d++)
        {
            int share = Share(cases, designCount, d), failed = parts.Sum(p => p.Failures.Count);
            if (share + (directed ? DirectedCases.Kinds.Count : 0) == 0 || failed >= maxFailures) continue;
            DesignUnderTest dut = design(d);
            DesignResult r = RunDesign(seed, d, share, dut, log, maxFailures - failed, directed,
                FirstNumber(cases, designCount, d, directed), onCase);
            parts.Add(r);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{d + 1}/{designCount}] {dut.Description}: {r.Cases} cases ({r.DirectedCases} directed), {r.Failures.Count} failures ({parts.Sum(p => p.Cases)} done, {sw.Elapsed.TotalSeconds:F1} s)"));
        }
        return new CampaignResult(seed, parts.Sum(p => p.Cases), parts.Sum(p => p.DirectedCases), parts.Sum(p => p.CyclesCompared),
            parts.SelectMany(p => p.Failures).ToList(), parts.Select(p => p.Coverage).ToList(), sw.Elapsed);
    }

    /// <summary>One configuration's part of a campaign: what <see cref="RunDesign"/> ran and found.</summary>
    public sealed record DesignResult(int Cases, int DirectedCases, long CyclesCompared, IReadOnlyList<CampaignFailure> Failures, CoverageReport Coverage);

    /// <summary>
    /// Configuration <paramref name="config"/>'s part of a campaign on <paramref name="design"/>: its
    /// directed cases, then <paramref name="share"/> random cases, seeded as in <see cref="Run(ulong, int, int, Func{int, DesignUnderTest}, TextWriter, int, Action{CampaignCaseResult}?, bool)"/>,
    /// so a mutant of the design meets exactly the cases the real design passed. A directed layer the
    /// configuration cannot hold is skipped (its number stays reserved).
    /// </summary>
    public static DesignResult RunDesign(ulong seed, int config, int share, DesignUnderTest design, TextWriter log,
        int maxFailures = 10, bool directed = true, int firstNumber = 0, Action<CampaignCaseResult>? onCase = null)
    {
        var collector = new CoverageCollector(design.Config);
        var failures = new List<CampaignFailure>();
        long cycles = 0;
        int done = 0, directedDone = 0, skip = directed ? 0 : DirectedCases.Kinds.Count;
        for (int local = skip; local < DirectedCases.Kinds.Count + share && failures.Count < maxFailures; local++)
        {
            var clock = Stopwatch.StartNew();
            var (name, caseSeed, kind) = Plan(seed, config, local);
            if (Stimulus(design.Config, caseSeed, kind) is not { } stimulus) continue;
            int number = firstNumber + local - skip;
            using var sim = design.NewSimulator();
            using var rtl = design.NewVerilator();
            CaseReport r = stimulus.Run([collector.Observe(sim), rtl]);
            cycles += r.Lockstep.CyclesRun;
            done++;
            if (local < DirectedCases.Kinds.Count) directedDone++;
            if (!r.Agrees)
            {
                var f = new CampaignFailure(config, design.Description, name, caseSeed, kind, stimulus.Describe, r.Describe(), number);
                failures.Add(f);
                log.WriteLine($"  FAIL {Describe(f)}");
            }
            onCase?.Invoke(new CampaignCaseResult(number, config, design.Description, name, caseSeed, kind, stimulus.Describe,
                r.Lockstep.CyclesRun, clock.Elapsed, r.Agrees ? null : r.Describe()));
        }
        return new DesignResult(done, directedDone, cycles, failures, collector.Report());
    }

    /// <summary>
    /// Case <paramref name="local"/> of configuration <paramref name="config"/>, counting its directed
    /// cases first (0..7 are d0..d7, then random case 0, 1, ...): its name, case seed and kind.
    /// </summary>
    public static (string Name, int CaseSeed, CaseKind Kind) Plan(ulong seed, int config, int local)
    {
        int directed = DirectedCases.Kinds.Count;
        if (local < directed)
            return (string.Create(CultureInfo.InvariantCulture, $"d{local}"), CaseSeed(seed, config, DirectedOffset + local), DirectedCases.Kinds[local]);
        int c = local - directed;
        return (c.ToString(CultureInfo.InvariantCulture), CaseSeed(seed, config, c), KindOf(c));
    }

    /// <summary>How many of <paramref name="cases"/> random cases configuration <paramref name="config"/> runs (the first ones take the remainder).</summary>
    public static int Share(int cases, int designCount, int config) => cases / designCount + (config < cases % designCount ? 1 : 0);

    /// <summary>Cases a configuration numbers: its directed cases (when run) and its share of the random ones.</summary>
    public static int CasesOf(int cases, int designCount, int config, bool directed = true) =>
        (directed ? DirectedCases.Kinds.Count : 0) + Share(cases, designCount, config);

    /// <summary>Case numbers of the whole campaign: <paramref name="cases"/> random cases and each configuration's directed ones.</summary>
    public static int TotalCases(int cases, int designCount, bool directed = true) =>
        Enumerable.Range(0, designCount).Sum(d => CasesOf(cases, designCount, d, directed));

    private static int FirstNumber(int cases, int designCount, int config, bool directed)
    {
        int n = 0;
        for (int d = 0; d < config; d++) n += CasesOf(cases, designCount, d, directed);
        return n;
    }

    /// <summary>
    /// The configuration and its case index of campaign case <paramref name="number"/> (0-based, in
    /// run order); with <paramref name="directed"/> the index counts the directed cases first, as
    /// <see cref="Plan"/> takes it, without it it is the random case's index.
    /// </summary>
    public static (int Config, int Case) Locate(int cases, int designCount, int number, bool directed = true)
    {
        int total = TotalCases(cases, designCount, directed);
        if (number < 0 || number >= total) throw new ArgumentOutOfRangeException(nameof(number), number, $"0..{total - 1}");
        int d = 0;
        while (number >= CasesOf(cases, designCount, d, directed)) number -= CasesOf(cases, designCount, d++, directed);
        return (d, number);
    }

    /// <summary>The kind of a configuration's random case <paramref name="case"/>: <see cref="RandomKinds"/> in turn.</summary>
    public static CaseKind KindOf(int @case) => RandomKinds[@case % RandomKinds.Count];

    public static string Describe(CampaignFailure f) =>
        $"{(f.Number >= 0 ? string.Create(CultureInfo.InvariantCulture, $"case {f.Number}: ") : "")}config {f.Config} ({f.Design}) case {f.Case} seed {f.CaseSeed} kind {f.Kind} {f.Stimulus}: {f.What}";

    /// <summary>Deterministic per-case seed (not string.GetHashCode, which is randomized per process).</summary>
    public static int CaseSeed(int seed, int config, int @case) =>
        (int)((uint)seed * 2654435761u ^ (uint)config * 40503u ^ (uint)@case * 2246822519u) & int.MaxValue;

    /// <summary>The same for a 64-bit campaign seed: seeds below 2^32 give the 32-bit derivation's case seeds; higher bits are folded in.</summary>
    public static int CaseSeed(ulong seed, int config, int @case) =>
        (int)(((uint)seed ^ (uint)(seed >> 32)) * 2654435761u ^ (uint)config * 40503u ^ (uint)@case * 2246822519u) & int.MaxValue;

    /// <summary>What one case drives, given the models to drive: a compiled layer (<see cref="Layer"/> and <see cref="Image"/>
    /// set) or a raw program.</summary>
    public sealed record CaseStimulus(string Describe, Func<IReadOnlyList<ITopModel>, CaseReport> Run, Layer? Layer = null, ProgramImage? Image = null);

    /// <summary>The stimulus of a case; null for a directed layer the configuration cannot hold.</summary>
    public static CaseStimulus? Stimulus(HardwareConfig cfg, int caseSeed, CaseKind kind)
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
        return new CaseStimulus($"layer t={s.Tokens} out={s.OutFeatures} in={s.InFeatures}", models => CoSimulation.RunCase(layer, image, models), layer, image);
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
