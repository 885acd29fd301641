using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Energy.Technology;
using Bit1HW.Flows.Resources;
using Bit1HW.Flows.Sweeps;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Explore;

/// <summary>What an exploration is asked: the model, the target and its budget, the space, the memory, how many points to synthesize.</summary>
public sealed record ExploreRequest(ModelShape Model, SynthTarget Target, ExploreBudget Budget, ExploreSpace Space, ExploreMemory Memory,
    TechnologyNode Node, int Synthesize, SynthOptions SynthOptions);

/// <summary>
/// One enumerated configuration: its predicted resources; why it was pruned (the budget, or a model
/// chunk it cannot hold) or its projection; whether it is on the front; its synthesis, when it was run.
/// </summary>
public sealed record ExplorePoint(int Index, HardwareConfig Config, ResourceEstimate Predicted, string? PrunedBy, TokenProjection? Projection)
{
    public bool OnFront { get; init; }
    /// <summary>The tag with the memory depths, which the tag leaves out: unique within a space.</summary>
    public string Name => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Config.Tag}_w{Config.WeightDepth}_a{Config.ActDepth}_o{Config.OutDepth}_i{Config.InstrDepth}");
    public SynthReport? Measured { get; init; }
    /// <summary>The first resource the synthesized design exceeds the budget by, as <see cref="ExploreBudget.Exceeded"/> says it, or null.</summary>
    public string? MeasuredExceeds(ExploreBudget budget) => Measured is not { } m ? null
        : budget.Exceeded(new ResourceEstimate(m.Target, m.Design.Luts, m.Design.Ffs, m.Design.Units(CellKind.Carry), m.Design.Brams,
            m.Design.Sprams, m.Design.Dsps, m.Pnr?.LogicCells));
    /// <summary>Tokens/s at the measured Fmax instead of the assumed clock (placed iCE40 points only).</summary>
    public double? TokensPerSecondAtFmax(double clockMhz) =>
        Measured?.FmaxMhz is { } f && Projection is { } p && p.Bound == ProjectionBound.Engine ? p.TokensPerSecond * f / clockMhz : null;
}

public sealed record ExploreResult(ExploreRequest Request, IReadOnlyList<ExplorePoint> Points, int Skipped)
{
    public IEnumerable<ExplorePoint> Front => Points.Where(p => p.OnFront);
}

/// <summary>
/// <c>bit1hw explore</c> (docs/explore.md): enumerate the space, predict every configuration's
/// resources (<see cref="ResourceModel.Predict(HardwareConfig, SynthOptions)"/>), prune what exceeds the budget, project the
/// model's decode on the rest (<see cref="TokenProjector"/>: the compiler's cycles, no simulation),
/// mark the Pareto front (LUTs against tokens/s), and synthesize points along the front of the
/// points the flow can synthesize (<see cref="SynthesizableKinds"/>) through
/// <see cref="SynthSweep.Run"/> for their real area and Fmax.
/// </summary>
public static class Explorer
{
    public static ExploreResult Run(ExploreRequest req, SweepOptions sweep, IProgress<ProgressUpdate> progress, Action<string> step)
    {
        var (configs, skipped) = req.Space.Enumerate();
        if (configs.Count == 0) throw new UserInputException("--space", "no valid configuration in the space");
        step($"explore: [1/3] {configs.Count} configurations ({skipped} invalid combinations skipped); predicting and projecting {req.Model.Name}");
        var points = new ExplorePoint[configs.Count];
        int done = 0;
        Parallel.For(0, configs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            points[i] = Evaluate(i, configs[i], req);
            int d = Interlocked.Increment(ref done);
            progress.Report(new ProgressUpdate($"explore: [1/3] projecting {req.Model.Name}", (double)d / configs.Count, $"{d} of {configs.Count}"));
        });
        var kept = points.Where(p => p.Projection is not null).ToList();
        var candidates = kept.Select(p => new ParetoFront.Candidate(p.Predicted.Luts, p.Projection!.TokensPerSecond, p.Projection.JoulesPerToken)).ToList();
        bool[] onFront = ParetoFront.Of(candidates);
        for (int k = 0; k < kept.Count; k++) points[kept[k].Index] = kept[k] with { OnFront = onFront[k] };
        int synth = Math.Min(req.Synthesize, kept.Count);
        step($"explore: [2/3] {kept.Count} within the budget, {onFront.Count(f => f)} on the front; synthesizing {synth}");
        if (synth > 0)
        {
            var canSynthesize = SynthesizableKinds(kept.Select(p => p.Config), req.SynthOptions);
            var chosen = ParetoFront.NearFront(candidates, synth, k => canSynthesize(kept[k].Config)).Select(k => kept[k].Index).ToList();
            var synthPoints = chosen.Select(i => new SynthPoint(points[i].Config, req.SynthOptions)).ToList();
            IReadOnlyList<SynthPointResult> results = SynthSweep.Run(synthPoints, sweep, step);
            for (int j = 0; j < chosen.Count; j++) points[chosen[j]] = points[chosen[j]] with { Measured = results[j].Report };
        }
        step("explore: [3/3] writing the table and the chart");
        return new ExploreResult(req, points, skipped);
    }

    /// <summary>
    /// Whether the synthesis flow has a top to synthesize for a kind of engine (host-fed or
    /// streaming), asked once per kind of the smallest such configuration: the flow synthesizes the
    /// board wrapper, which drives the host port, and a streaming engine has a board wrapper on no
    /// target, nor an engine top to synthesize in its place unless the flow provides one.
    /// </summary>
    internal static Func<HardwareConfig, bool> SynthesizableKinds(IEnumerable<HardwareConfig> configs, SynthOptions opt)
    {
        var answer = new Dictionary<bool, bool>();
        foreach (HardwareConfig c in configs.OrderBy(c => c.Lanes * c.Rows))
        {
            if (answer.ContainsKey(c.IsStreaming)) continue;
            SynthDesign d = SynthDesign.FromConfig(c, opt.Variant);
            answer[c.IsStreaming] = d.Files.Any(f => f.RelativePath == d.Top + ".v");
        }
        return c => answer.GetValueOrDefault(c.IsStreaming);
    }

    private static ExplorePoint Evaluate(int index, HardwareConfig config, ExploreRequest req)
    {
        ResourceEstimate predicted;
        try
        {
            predicted = ResourceModel.Predict(config, req.SynthOptions);
        }
        catch (UserInputException e)
        {
            // A configuration the target cannot build at all (the resource model says why): no estimate to report.
            return new ExplorePoint(index, config, new ResourceEstimate(req.Target, 0, 0, 0, 0, 0, 0, null), $"resources: {e.Message}", null);
        }
        if (req.Budget.Exceeded(predicted) is { } over) return new ExplorePoint(index, config, predicted, over, null);
        try
        {
            return new ExplorePoint(index, config, predicted, null, TokenProjector.Project(req.Model, config, req.Memory, req.Node));
        }
        catch (UserInputException e)
        {
            // A configuration whose memories cannot hold one chunk of the model (or whose stream exceeds the address space).
            return new ExplorePoint(index, config, predicted, $"model: {e.Message}", null);
        }
    }
}
