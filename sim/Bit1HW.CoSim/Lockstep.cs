using Bit1HW.Sim;
namespace Bit1HW.CoSim;

/// <summary>Where two models first disagreed at the top-level ports.</summary>
public sealed record PortMismatch(int Cycle, string Port, string ModelA, string ValueA, string ModelB, string ValueB)
{
    public override string ToString() =>
        $"cycle {Cycle}: port {Port}: {ModelA} = {ValueA}, {ModelB} = {ValueB}";
}

/// <summary>What one model did under a <see cref="HostScript"/>.</summary>
public sealed record ModelRun(string Model, long BusyCycles, bool StillBusyAtEnd, int[] ReadValues);

/// <summary>Every model's run under one script and the first port disagreement, if any.</summary>
public sealed record LockstepResult(IReadOnlyList<ModelRun> Runs, PortMismatch? FirstMismatch, int CyclesRun);

/// <summary>
/// Drives several top-level models with the same script, one rising edge at a time, and compares
/// every output port after every edge against the first model. The run stops at the first
/// disagreement, keeping the cycle, port and both values (the models' own traces cover the window).
/// </summary>
internal static class Lockstep
{
    public static LockstepResult Run(HostScript script, IReadOnlyList<ITopModel> models)
    {
        if (models.Count == 0) throw new ArgumentException("no models", nameof(models));
        var busy = new long[models.Count];
        var outs = new TopOutputs[models.Count];
        var reads = new int[models.Count][];
        for (int m = 0; m < models.Count; m++) reads[m] = new int[script.Reads.Count];
        int nextRead = 0;
        for (int c = 0; c < script.Cycles.Count; c++)
        {
            TopInputs inputs = script.Cycles[c];
            for (int m = 0; m < models.Count; m++)
            {
                outs[m] = models[m].Step(inputs);
                if (outs[m].Busy) busy[m]++;
            }
            for (int m = 1; m < models.Count; m++)
            {
                string? port = Ports.FirstDifference(outs[0], outs[m]);
                if (port is null) continue;
                var mismatch = new PortMismatch(c, port, models[0].Name, Ports.Value(outs[0], port), models[m].Name, Ports.Value(outs[m], port));
                return new LockstepResult(Summaries(models, busy, outs, reads), mismatch, c + 1);
            }
            while (nextRead < script.Reads.Count && script.Reads[nextRead].Cycle == c)
            {
                for (int m = 0; m < models.Count; m++) reads[m][nextRead] = outs[m].HostRData;
                nextRead++;
            }
        }
        return new LockstepResult(Summaries(models, busy, outs, reads), null, script.Cycles.Count);
    }

    private static List<ModelRun> Summaries(IReadOnlyList<ITopModel> models, long[] busy, TopOutputs[] last, int[][] reads) =>
        models.Select((m, i) => new ModelRun(m.Name, busy[i], last[i].Busy, reads[i])).ToList();
}
