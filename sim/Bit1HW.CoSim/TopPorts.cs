namespace Bit1HW.CoSim;

/// <summary>
/// The engine's top-level inputs for one clock cycle (docs/hardware.md, "Top-level ports"), except the
/// clock. <see cref="HostWData"/> holds HostDataBits as little-endian 32-bit limbs. Both models are
/// driven with the same sequence of these, one per rising edge.
/// </summary>
internal readonly record struct TopInputs(
    bool Rst, bool Start, bool HostWe, int HostSel, uint HostAddr, uint[]? HostWData, uint HostRAddr, uint HostRRow)
{
    public static TopInputs Idle => default;
}

/// <summary>The top-level outputs sampled right after a rising edge.</summary>
internal readonly record struct TopOutputs(bool Busy, bool Done, int HostRData, uint DbgPc, bool DbgAccEn)
{
    /// <summary>The first port that differs, or null: names in the order a reader would look at them.</summary>
    public static string? FirstDifference(in TopOutputs a, in TopOutputs b)
    {
        if (a.Busy != b.Busy) return "busy";
        if (a.Done != b.Done) return "done";
        if (a.DbgPc != b.DbgPc) return "dbg_pc";
        if (a.DbgAccEn != b.DbgAccEn) return "dbg_acc_en";
        if (a.HostRData != b.HostRData) return "host_rdata";
        return null;
    }

    public string Value(string port) => port switch
    {
        "busy" => Busy ? "1" : "0",
        "done" => Done ? "1" : "0",
        "dbg_pc" => DbgPc.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "dbg_acc_en" => DbgAccEn ? "1" : "0",
        "host_rdata" => HostRData.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new System.Diagnostics.UnreachableException(port),
    };
}

/// <summary>A clocked model of the engine's top level: the C# simulator or a Verilator model.</summary>
internal interface ITopModel : IDisposable
{
    string Name { get; }
    /// <summary>Applies the inputs, clocks one rising edge, and returns the outputs after it.</summary>
    TopOutputs Step(in TopInputs inputs);
}
