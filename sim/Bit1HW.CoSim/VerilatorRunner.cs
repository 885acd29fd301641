using Bit1HW.Core.Hardware;

namespace Bit1HW.CoSim;

/// <summary>
/// Runs compiled programs on the Verilator model of a design the way a host would: the same
/// <see cref="HostScript"/> as co-simulation (reset, load through the host port, start, run, read
/// every output through host_rdata), on one model instance reused across programs. Used where the
/// generated RTL itself is the accelerator, e.g. the decoder's <c>--backend verilator</c>.
/// </summary>
public sealed class VerilatorRunner : IDisposable
{
    private readonly VerilatorModel _model;

    public VerilatorRunner(HardwareConfig cfg, TextWriter? progress = null) =>
        _model = DesignUnderTest.Build(cfg, progress).NewVerilator();

    /// <summary>Returns the outputs [t, o] read back from the RTL and its busy cycles. A streaming image
    /// reads its weights through a <see cref="Sim.MemorySlave"/> of <paramref name="memory"/>
    /// (<see cref="Sim.MemoryModel.Default"/> unless given); its busy cycles are N_static plus the stalls.</summary>
    public (int[] Acc, long Cycles) Run(ProgramImage image, Sim.MemoryModel? memory = null)
    {
        if (image.Config.IsStreaming)
        {
            memory ??= Sim.MemoryModel.Default;
            var slave = new Sim.MemorySlave(image.Config, image.External!, memory);
            LockstepResult s = Lockstep.Run(StreamingCase.ScriptFor(image, memory), [_model], slave, image.Config);
            ModelRun sr = s.Runs[0];
            if (s.Protocol is { } v) throw new InvalidOperationException($"verilator: AXI protocol violation at {v}");
            if (sr.StillBusyAtEnd || sr.BusyCycles != image.PredictedCycles + sr.StallCycles)
                throw new InvalidOperationException(
                    $"verilator: the program ran {sr.BusyCycles} cycles{(sr.StillBusyAtEnd ? " and was still busy" : "")}, N_static {image.PredictedCycles} + {sr.StallCycles} stalls expected");
            return (sr.ReadValues, sr.BusyCycles);
        }
        LockstepResult r = Lockstep.Run(CoSimulation.ScriptFor(image), [_model]);
        ModelRun run = r.Runs[0];
        if (run.StillBusyAtEnd || run.BusyCycles != image.PredictedCycles)
            throw new InvalidOperationException(
                $"verilator: the program ran {run.BusyCycles} cycles{(run.StillBusyAtEnd ? " and was still busy" : "")}, compiler predicted {image.PredictedCycles}");
        return (run.ReadValues, run.BusyCycles);
    }

    public void Dispose() => _model.Dispose();
}
