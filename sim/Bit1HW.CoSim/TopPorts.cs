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
    /// <summary>The first output port that differs, or null, in the order a reader would look at them. The
    /// streaming ports are 0 on both models of a host-fed engine; m_axi_araddr is compared only while
    /// m_axi_arvalid is 1 (AXI gives it no meaning otherwise, and docs/hardware.md fixes none).</summary>
    public static string? FirstDifference(in TopOutputs a, in TopOutputs b)
    {
        if (a.Busy != b.Busy) return "busy";
        if (a.Done != b.Done) return "done";
        if (a.DbgPc != b.DbgPc) return "dbg_pc";
        if (a.DbgAccEn != b.DbgAccEn) return "dbg_acc_en";
        if (a.HostRData != b.HostRData) return "host_rdata";
        if (a.DbgStall != b.DbgStall) return "dbg_stall";
        if (a.AxiError != b.AxiError) return "axi_error";
        if (a.ArValid != b.ArValid) return "m_axi_arvalid";
        if (a.ArValid && a.ArAddr != b.ArAddr) return "m_axi_araddr";
        if (a.ArLen != b.ArLen) return "m_axi_arlen";
        if (a.ArSize != b.ArSize) return "m_axi_arsize";
        if (a.ArBurst != b.ArBurst) return "m_axi_arburst";
        if (a.RReady != b.RReady) return "m_axi_rready";
        return null;
    }

    public static string Value(in TopOutputs o, string port) => port switch
    {
        "busy" => o.Busy ? "1" : "0",
        "done" => o.Done ? "1" : "0",
        "dbg_pc" => o.DbgPc.ToString(CultureInfo.InvariantCulture),
        "dbg_acc_en" => o.DbgAccEn ? "1" : "0",
        "host_rdata" => o.HostRData.ToString(CultureInfo.InvariantCulture),
        "dbg_stall" => o.DbgStall ? "1" : "0",
        "axi_error" => o.AxiError ? "1" : "0",
        "m_axi_arvalid" => o.ArValid ? "1" : "0",
        "m_axi_araddr" => "0x" + o.ArAddr.ToString("x", CultureInfo.InvariantCulture),
        "m_axi_arlen" => o.ArLen.ToString(CultureInfo.InvariantCulture),
        "m_axi_arsize" => o.ArSize.ToString(CultureInfo.InvariantCulture),
        "m_axi_arburst" => o.ArBurst.ToString(CultureInfo.InvariantCulture),
        "m_axi_rready" => o.RReady ? "1" : "0",
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
