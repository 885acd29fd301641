using System.Globalization;
using Bit1HW.CoSim;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Cli.Terminal;
using Bit1HW.Sim;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// One verify campaign as the command runs it: the configurations built lazily (each just before
/// its cases), progress per case, failing cases' replay lines and waveforms, and the JSON form.
/// </summary>
internal sealed class VerifyCampaign(ulong seed, int cases, IReadOnlyList<HardwareConfig> configs, SimFault fault, Func<int, string> replayLine)
{
    private readonly DesignUnderTest?[] _designs = new DesignUnderTest?[configs.Count];

    public ulong Seed => seed;
    public IReadOnlyList<HardwareConfig> Configs => configs;
    public List<CampaignCaseResult> CaseResults { get; } = [];
    public string ReplayLine(int number) => replayLine(number);

    public CampaignResult Run(TextWriter o, bool json, StatusDisplay status, string? vcdDir)
    {
        TextWriter results = json ? status.Log : o;
        results.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}"));
        for (int i = 0; i < configs.Count; i++) results.WriteLine($"config {i}: {configs[i].Tag}");
        int done = 0, total = Campaign.TotalCases(cases, configs.Count);
        return Campaign.Run(seed, cases, configs.Count, d => Design(d, status), results, onCase: c =>
        {
            CaseResults.Add(c);
            done++;
            status.Report(new ProgressUpdate(
                $"verify: config {c.Config + 1}/{configs.Count} {configs[c.Config].Tag}: {done}/{total} cases", (double)done / total));
            if (c.Passed) return;
            results.WriteLine($"  replay: {replayLine(c.Number)}");
            if (vcdDir is not null) Waveforms(c.Number, Path.Combine(vcdDir, $"case-{c.Number}"), results, status);
        });
    }

    /// <summary>Replays case <paramref name="number"/> alone and writes its waveforms to <paramref name="dir"/>.</summary>
    public int Replay(int number, string dir, TextWriter o, bool json, StatusDisplay status)
    {
        var (d, local) = Campaign.Locate(cases, configs.Count, number);
        DesignUnderTest dut = Design(d, status);
        var (name, caseSeed, kind) = Campaign.Plan(seed, d, local);
        var stimulus = Campaign.Stimulus(dut.Config, caseSeed, kind)
            ?? throw new UserInputException("--case", $"case {number} ({kind}) does not fit {dut.Config.Tag}'s memories and is not run");
        status.Stage($"verify: case {number}: running");
        CaseReport r;
        using (var sim = dut.NewSimulator())
        using (var rtl = dut.NewVerilator())
            r = stimulus.Run([sim, rtl]);
        var (simVcd, rtlVcd) = Waveforms(number, dir, null, status);
        status.Dispose();
        if (json)
            CliJson.Write(o, new
            {
                seed, @case = number, config = d, tag = configs[d].Tag, configCase = name, caseSeed, kind, stimulus = stimulus.Describe,
                predictedCycles = r.PredictedCycles, cyclesCompared = r.Lockstep.CyclesRun,
                agrees = r.Agrees, mismatch = r.Agrees ? null : r.Describe(), waveforms = new { sim = simVcd, rtl = rtlVcd },
            });
        else
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"case {number}: config {d} ({dut.Description}) case {name} seed {caseSeed} kind {kind} {stimulus.Describe}"));
            o.WriteLine($"  {(r.Agrees ? "agree" : "MISMATCH")}: {r.Describe()}");
            o.WriteLine($"  waveforms {simVcd} {rtlVcd}");
        }
        return r.Agrees ? ExitCodes.Ok : ExitCodes.Mismatch;
    }

    private DesignUnderTest Design(int d, StatusDisplay status)
    {
        if (_designs[d] is { } built) return built;
        status.Stage($"verify: config {d + 1}/{configs.Count} {configs[d].Tag}: generating and building");
        return _designs[d] = DesignUnderTest.Build(configs[d], status.Log, simFault: fault, status: status);
    }

    private (string Sim, string Rtl) Waveforms(int number, string dir, TextWriter? results, StatusDisplay status)
    {
        var (d, local) = Campaign.Locate(cases, configs.Count, number);
        DesignUnderTest dut = Design(d, status);
        var (_, caseSeed, kind) = Campaign.Plan(seed, d, local);
        var stimulus = Campaign.Stimulus(dut.Config, caseSeed, kind)
            ?? throw new InvalidOperationException($"case {number} has no stimulus on {dut.Config.Tag}");
        status.Stage($"verify: case {number}: writing waveforms to {dir}");
        var paths = TracingRun.Write(dut, stimulus.Run, dir, status.Log, status);
        results?.WriteLine($"  waveforms {paths.Sim} {paths.Rtl}");
        return paths;
    }

    public object Json(CampaignResult r, MutationReport? mutants) => new
    {
        seed,
        cases = r.Cases,
        directedCases = r.DirectedCases,
        mismatches = r.Failures.Count,
        cyclesCompared = r.CyclesCompared,
        seconds = Math.Round(r.Elapsed.TotalSeconds, 3),
        configs = configs.Select((c, i) => new
        {
            index = i,
            tag = c.Tag,
            config = CliJson.Embed(c.ToJson()),
            cases = CaseResults.Count(x => x.Config == i),
            failures = CaseResults.Count(x => x.Config == i && !x.Passed),
        }),
        failures = r.Failures.Select(f => new
        {
            @case = f.Number, config = f.Config, design = f.Design, configCase = f.Case, caseSeed = f.CaseSeed, kind = f.Kind,
            stimulus = f.Stimulus, what = f.What, replay = replayLine(f.Number),
        }),
        coverage = r.Coverage,
        mutation = mutants is null ? null : new
        {
            killed = mutants.Killed,
            mutants = mutants.Results.Count,
            score = Math.Round(mutants.Score, 6),
            realDesignFailures = mutants.RealDesignFailures,
            results = mutants.Results.Select(m => new
            {
                config = m.Config, id = m.Mutant.Id, kind = m.Mutant.Kind, description = m.Mutant.Description,
                killed = m.Killed, cases = m.Cases, failingCases = m.FailingCases, killedBy = m.KilledBy, firstFailure = m.FirstFailure,
            }),
        },
    };
}
