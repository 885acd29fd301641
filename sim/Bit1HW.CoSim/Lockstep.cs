using Bit1HW.Sim;
namespace Bit1HW.CoSim;

/// <summary>Where two models first disagreed at the top-level ports.</summary>
public sealed record PortMismatch(int Cycle, string Port, string ModelA, string ValueA, string ModelB, string ValueB)
{
    public override string ToString() =>
        $"cycle {Cycle}: port {Port}: {ModelA} = {ValueA}, {ModelB} = {ValueB}";
}

/// <summary>What one model did under a <see cref="HostScript"/>: busy cycles and, of those, stall cycles (dbg_stall).</summary>
public sealed record ModelRun(string Model, long BusyCycles, bool StillBusyAtEnd, int[] ReadValues, long StallCycles = 0);

/// <summary>Every model's run under one script, the first port disagreement and the first AXI protocol violation, if any.</summary>
public sealed record LockstepResult(IReadOnlyList<ModelRun> Runs, PortMismatch? FirstMismatch, int CyclesRun,
    ProtocolViolation? Protocol = null);

/// <summary>
/// Drives several top-level models with the same script, one rising edge at a time, and compares
/// every output port after every edge against the first model. The run stops at the first
/// disagreement, keeping the cycle, port and both values (the models' own traces cover the window).
/// A streaming engine's AXI inputs come from one <see cref="MemorySlave"/> that sees the first
/// model's (the simulator's) outputs, as docs/hardware.md asks, and an <see cref="AxiProtocolChecker"/>
/// watches every model's bus; the program phase of such a script ends as soon as no model is busy.
/// </summary>
internal static class Lockstep
{
    public static LockstepResult Run(HostScript script, IReadOnlyList<ITopModel> models, MemorySlave? slave = null,
        Core.Hardware.HardwareConfig? config = null)
    {
        if (models.Count == 0) throw new ArgumentException("no models", nameof(models));
        var busy = new long[models.Count];
        var stalls = new long[models.Count];
        var outs = new TopOutputs[models.Count];
        var reads = new int[models.Count][];
        for (int m = 0; m < models.Count; m++) reads[m] = new int[script.Reads.Count];
        AxiProtocolChecker[] checkers = config is { IsStreaming: true } ? models.Select(m => new AxiProtocolChecker(config, m.Name)).ToArray() : [];
        int nextRead = 0, cycles = 0;
        for (int c = 0; c < script.Cycles.Count; c++, cycles++)
        {
            if (script.EndRunWhenIdle && c > script.StartCycle + 1 && c < script.RunEnd && outs.All(o => !o.Busy)) c = script.RunEnd;
            TopOutputs shown = outs[0];
            TopInputs inputs = slave is null ? script.Cycles[c] : slave.Drive(script.Cycles[c]);
            for (int m = 0; m < checkers.Length; m++) checkers[m].Cycle(outs[m], inputs);
            for (int m = 0; m < models.Count; m++)
            {
                outs[m] = models[m].Step(inputs);
                if (outs[m].Busy) busy[m]++;
                if (outs[m].Busy && outs[m].DbgStall) stalls[m]++;
            }
            slave?.Clock(shown);
            for (int m = 1; m < models.Count; m++)
            {
                string? port = Ports.FirstDifference(outs[0], outs[m]);
                if (port is null) continue;
                var mismatch = new PortMismatch(c, port, models[0].Name, Ports.Value(outs[0], port), models[m].Name, Ports.Value(outs[m], port));
                return new LockstepResult(Summaries(models, busy, stalls, outs, reads), mismatch, cycles + 1, FirstViolation(checkers));
            }
            while (nextRead < script.Reads.Count && script.Reads[nextRead].Cycle == c)
            {
                for (int m = 0; m < models.Count; m++) reads[m][nextRead] = outs[m].HostRData;
                nextRead++;
            }
        }
        return new LockstepResult(Summaries(models, busy, stalls, outs, reads), null, cycles, FirstViolation(checkers));
    }

    private static ProtocolViolation? FirstViolation(AxiProtocolChecker[] checkers) =>
        checkers.Select(c => c.Violation).Where(v => v is not null).OrderBy(v => v!.Cycle).FirstOrDefault();

    private static List<ModelRun> Summaries(IReadOnlyList<ITopModel> models, long[] busy, long[] stalls, TopOutputs[] last, int[][] reads) =>
        models.Select((m, i) => new ModelRun(m.Name, busy[i], last[i].Busy, reads[i], stalls[i])).ToList();
}
