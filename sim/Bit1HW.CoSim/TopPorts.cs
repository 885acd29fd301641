using System.Globalization;
using Bit1HW.Sim;

namespace Bit1HW.CoSim;

/// <summary>
/// A clocked model of the engine's top level (the C# simulator or a Verilator model): applies the
/// inputs (<see cref="TopInputs"/>, the simulator's port record), clocks one rising edge and returns
/// the outputs after it.
/// </summary>
public interface ITopModel : IDisposable
{
    string Name { get; }
    TopOutputs Step(in TopInputs inputs);
}

internal static class Ports
{
    /// <summary>The first output port that differs, or null, in the order a reader would look at them.</summary>
    public static string? FirstDifference(in TopOutputs a, in TopOutputs b)
    {
        if (a.Busy != b.Busy) return "busy";
        if (a.Done != b.Done) return "done";
        if (a.DbgPc != b.DbgPc) return "dbg_pc";
        if (a.DbgAccEn != b.DbgAccEn) return "dbg_acc_en";
        if (a.HostRData != b.HostRData) return "host_rdata";
        return null;
    }

    public static string Value(in TopOutputs o, string port) => port switch
    {
        "busy" => o.Busy ? "1" : "0",
        "done" => o.Done ? "1" : "0",
        "dbg_pc" => o.DbgPc.ToString(CultureInfo.InvariantCulture),
        "dbg_acc_en" => o.DbgAccEn ? "1" : "0",
        "host_rdata" => o.HostRData.ToString(CultureInfo.InvariantCulture),
        _ => throw new System.Diagnostics.UnreachableException(port),
    };

    public static TopInputs Idle => default;
}

/// <summary>The C# cycle-accurate simulator as a top-level model.</summary>
public sealed class SimulatorModel(Engine engine) : ITopModel
{
    public string Name => "sim";
    public Engine Engine => engine;
    public TopOutputs Step(in TopInputs inputs) => engine.Step(inputs);
    public void Dispose() { }
}
