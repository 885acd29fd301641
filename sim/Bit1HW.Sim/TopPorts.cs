namespace Bit1HW.Sim;

/// <summary>
/// Inputs of <c>bit1hw_top_&lt;tag&gt;</c> for one clock cycle (docs/hardware.md, "Top-level ports"),
/// except <c>clk</c>: one <see cref="Engine.Step"/> is one rising edge. <see cref="HostWData"/> holds
/// host_wdata as little-endian 32-bit limbs (bits beyond the chosen memory's word are ignored);
/// it may be null when <see cref="HostWe"/> is 0.
/// </summary>
public readonly record struct TopInputs(
    bool Rst = false,
    bool Start = false,
    bool HostWe = false,
    int HostSel = 0,
    uint HostAddr = 0,
    uint[]? HostWData = null,
    uint HostRAddr = 0,
    uint HostRRow = 0);

/// <summary>
/// Outputs of the top module. All are registered, so they are functions of the state after an edge.
/// <see cref="HostRData"/> is the AccBits-wide field sign-extended to 32 bits (RTL: compare its low
/// AccBits bits); <see cref="DbgPc"/> is InstrAddrBits wide.
/// </summary>
public readonly record struct TopOutputs(bool Busy, bool Done, int HostRData, uint DbgPc, bool DbgAccEn);
