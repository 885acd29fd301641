using System.Diagnostics;
using System.Globalization;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim;

/// <summary>One failing campaign case: enough to replay it alone (configuration, case index, case seed, kind, shape) and what differed.</summary>
/// <param name="Number">The case's number in the whole campaign (0-based, in run order): what <c>verify --case</c> takes.</param>
public sealed record CampaignFailure(int Config, string Design, int Case, int CaseSeed, CaseKind Kind, Workload Shape, string What, int Number = -1);

/// <summary>One finished case, as <see cref="Campaign.Run(ulong, int, int, Func{int, DesignUnderTest}, TextWriter, int, Action{CampaignCaseResult}?)"/> reports it.</summary>
public sealed record CampaignCaseResult(int Number, int Config, string Design, int Case, int CaseSeed, CaseKind Kind, Workload Shape,
    long Cycles, TimeSpan Elapsed, string? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>The outcome of <see cref="Campaign.Run(ulong, int, int, Func{int, DesignUnderTest}, TextWriter, int, Action{CampaignCaseResult}?)"/>: cases run, cycles compared on every port, failures (at most the limit asked for).</summary>
public sealed record CampaignResult(ulong Seed, int Cases, long CyclesCompared, IReadOnlyList<CampaignFailure> Failures, TimeSpan Elapsed)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// A randomized co-simulation campaign: for each configuration, the design is generated and built
/// once (Verilator model cached), then many layers run three ways. Each case has its own seed
/// derived from the campaign seed, printed with any failure, so a failure can be replayed alone
/// (<see cref="Locate"/> and <see cref="MakeCase"/>). Cases are numbered 0..cases-1 in run order:
/// configuration 0's share first, then configuration 1's, and so on.
/// </summary>
public static class Campaign
{
    /// <summary>Spreads <paramref name="cases"/> seeded cases over the designs, logging one line per design; stops a design after <paramref name="maxFailures"/> failures.</summary>
    public static CampaignResult Run(int seed, int cases, IReadOnlyList<DesignUnderTest> designs, TextWriter log,
        int maxFailures = 10) =>
        Run(unchecked((ulong)(long)seed), cases, designs.Count, d => designs[d], log, maxFailures);

    /// <summary>
    /// The campaign with each design obtained (built) only when its cases are about to run, so the
    /// first configuration's cases run while later ones are not built yet; <paramref name="onCase"/>
    /// sees every case as it finishes.
    /// </summary>
    public static CampaignResult Run(ulong seed, int cases, int designCount, Func<int, DesignUnderTest> design, TextWriter log,
        int maxFailures = 10, Action<CampaignCaseResult>? onCase = null)
    {
        var sw = Stopwatch.StartNew();
        var failures = new List<CampaignFailure>();
        long cycles = 0;
        int done = 0;
        for (int d = 0; d < designCount; d++)
        {
            int share = Share(cases, designCount, d);
            if (share == 0 || failures.Count >= maxFailures) continue;
            DesignUnderTest dut = design(d);
            int before = failures.Count, first = FirstNumber(cases, designCount, d);
            for (int c = 0; c < share && failures.Count < maxFailures; c++)
            {
                var caseClock = Stopwatch.StartNew();
                int caseSeed = CaseSeed(seed, d, c);
                CaseKind kind = KindOf(c);
                var (layer, image) = MakeCase(dut.Config, caseSeed, kind);
                using var sim = dut.NewSimulator();
                using var rtl = dut.NewVerilator();
                CaseReport r = CoSimulation.RunCase(layer, image, [sim, rtl]);
                cycles += r.Lockstep.CyclesRun;
                done++;
                if (!r.Agrees)
                {
                    var f = new CampaignFailure(d, dut.Description, c, caseSeed, kind, layer.Shape, r.Describe(), first + c);
                    failures.Add(f);
                    log.WriteLine($"  FAIL {Describe(f)}");
                }
                onCase?.Invoke(new CampaignCaseResult(first + c, d, dut.Description, c, caseSeed, kind, layer.Shape,
                    r.Lockstep.CyclesRun, caseClock.Elapsed, r.Agrees ? null : r.Describe()));
            }
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{d + 1}/{designCount}] {dut.Description}: {share} cases, {failures.Count - before} failures ({done} done, {sw.Elapsed.TotalSeconds:F1} s)"));
        }
        return new CampaignResult(seed, done, cycles, failures, sw.Elapsed);
    }

    /// <summary>How many of <paramref name="cases"/> configuration <paramref name="config"/> runs (the first ones take the remainder).</summary>
    public static int Share(int cases, int designCount, int config) => cases / designCount + (config < cases % designCount ? 1 : 0);

    private static int FirstNumber(int cases, int designCount, int config)
    {
        int n = 0;
        for (int d = 0; d < config; d++) n += Share(cases, designCount, d);
        return n;
    }

    /// <summary>The configuration and its case index of campaign case <paramref name="number"/> (0-based, in run order).</summary>
    public static (int Config, int Case) Locate(int cases, int designCount, int number)
    {
        if (number < 0 || number >= cases) throw new ArgumentOutOfRangeException(nameof(number), number, $"0..{cases - 1}");
        int d = 0;
        while (number >= Share(cases, designCount, d)) number -= Share(cases, designCount, d++);
        return (d, number);
    }

    /// <summary>The kind of layer of a configuration's case <paramref name="case"/>: the kinds in turn.</summary>
    public static CaseKind KindOf(int @case) => (CaseKind)(@case % Enum.GetValues<CaseKind>().Length);

    public static string Describe(CampaignFailure f) =>
        $"{(f.Number >= 0 ? string.Create(CultureInfo.InvariantCulture, $"case {f.Number}: ") : "")}config {f.Config} ({f.Design}) case {f.Case} seed {f.CaseSeed} kind {f.Kind} shape t={f.Shape.Tokens} out={f.Shape.OutFeatures} in={f.Shape.InFeatures}: {f.What}";

    /// <summary>Deterministic per-case seed (not string.GetHashCode, which is randomized per process).</summary>
    public static int CaseSeed(int seed, int config, int @case) =>
        (int)((uint)seed * 2654435761u ^ (uint)config * 40503u ^ (uint)@case * 2246822519u) & int.MaxValue;

    /// <summary>The same for a 64-bit campaign seed: seeds below 2^32 give the 32-bit derivation's case seeds; higher bits are folded in.</summary>
    public static int CaseSeed(ulong seed, int config, int @case) =>
        (int)(((uint)seed ^ (uint)(seed >> 32)) * 2654435761u ^ (uint)config * 40503u ^ (uint)@case * 2246822519u) & int.MaxValue;

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
