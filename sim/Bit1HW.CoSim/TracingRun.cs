using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>A simulator model that also writes a VCD of every edge through the simulator's <see cref="VcdWriter"/>.</summary>
internal sealed class TracingSimulatorModel(Sim.Engine engine, TextWriter vcdText) : ITopModel
{
    private readonly VcdWriter _vcd = new(vcdText, engine.Config);
    private long _edge;
    public string Name => "sim";
    public VcdWriter Vcd => _vcd;
    public TopOutputs Step(in TopInputs inputs)
    {
        TopOutputs o = engine.Step(inputs);
        _vcd.AfterEdge(_edge++, inputs, engine);
        return o;
    }
    public void Dispose() => vcdText.Flush();
}

/// <summary>Waveforms of one co-simulated case from both sides, for a person looking at a mismatch.</summary>
public static class TracingRun
{
    /// <summary>
    /// Reruns one case with waveforms from both sides: <c>sim.vcd</c> from the C# simulator and
    /// <c>rtl.vcd</c> from a tracing Verilator build, into <paramref name="dir"/>, on one time axis
    /// (1 ns, rising edges at 10·e + 5), each with a GTKWave save file beside it (<c>sim.gtkw</c>,
    /// <c>rtl.gtkw</c>) that groups the signals. Runs are deterministic, so the rerun shows the same
    /// disagreement. Returns the two VCD paths.
    /// </summary>
    public static (string Sim, string Rtl) Write(DesignUnderTest design, Layer layer, ProgramImage image, string dir, TextWriter? progress,
        IProgress<ProgressUpdate>? status = null, MemoryModel? memory = null) =>
        Write(design, models => CoSimulation.RunCase(layer, image, models, memory), dir, progress, status);

    /// <summary>The same for any case: <paramref name="run"/> drives the models it is given (a layer or a raw program, <see cref="Campaign.Stimulus"/>).</summary>
    public static (string Sim, string Rtl) Write(DesignUnderTest design, Func<IReadOnlyList<ITopModel>, CaseReport> run, string dir, TextWriter? progress,
        IProgress<ProgressUpdate>? status = null)
    {
        Directory.CreateDirectory(dir);
        string simPath = Path.Combine(dir, "sim.vcd"), rtlPath = Path.Combine(dir, "rtl.vcd");
        var sb = new StringWriter { NewLine = "\n" };
        string simView;
        using (var sim = new TracingSimulatorModel(new Sim.Engine(design.Config), sb))
        using (var rtl = design.NewTracingVerilator(progress, status))
        {
            string tmpRtl = rtlPath + ".tmp";
            rtl.OpenTrace(tmpRtl);
            run([sim, rtl]);
            rtl.Dispose();
            File.Move(tmpRtl, rtlPath, overwrite: true);
            simView = sim.Vcd.SaveFile("sim.vcd");
        }
        AtomicFile.WriteAllText(simPath, sb.ToString());
        AtomicFile.WriteAllText(Path.Combine(dir, "sim.gtkw"), simView);
        AtomicFile.WriteAllText(Path.Combine(dir, "rtl.gtkw"), RtlWaveView.SaveFile(rtlPath, design.Config));
        return (simPath, rtlPath);
    }
}
