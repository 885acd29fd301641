namespace Bit1HW.Sim;

/// <summary>
/// Inputs of <c>bit1hw_top_&lt;tag&gt;</c> for one clock cycle (docs/hardware.md, "Top-level ports"),
/// except <c>clk</c>: one <see cref="Engine.Step"/> is one rising edge. <see cref="HostWData"/> holds
/// host_wdata as little-endian 32-bit limbs (bits beyond the chosen memory's word are ignored);
/// it may be null when <see cref="HostWe"/> is 0. The last six are the streaming ports
/// (docs/hardware.md, "Ports (added … when stream is set)"), ignored by a host-fed engine:
/// <c>weight_base</c> and the AXI read slave's signals; <see cref="RData"/> is m_axi_rdata as
/// axiDataBits / 32 little-endian limbs and may be null when <see cref="RValid"/> is 0.
/// </summary>
public readonly record struct TopInputs(
    bool Rst = false,
    bool Start = false,
    bool HostWe = false,
    int HostSel = 0,
    uint HostAddr = 0,
    uint[]? HostWData = null,
    uint HostRAddr = 0,
    uint HostRRow = 0,
    ulong WeightBase = 0,
    bool ArReady = false,
    bool RValid = false,
    uint[]? RData = null,
    int RResp = 0,
    bool RLast = false);

/// <summary>
/// Outputs of the top module. All are functions of the state after an edge (registers, or logic of
/// registers only), so they are what the next cycle shows. <see cref="HostRData"/> is the AccBits-wide
/// field sign-extended to 32 bits (RTL: compare its low AccBits bits); <see cref="DbgPc"/> is
/// InstrAddrBits wide. The streaming outputs are all 0 on a host-fed engine; on a streaming one
/// <see cref="ArLen"/>, <see cref="ArSize"/>, <see cref="ArBurst"/> and <see cref="RReady"/> are
/// constants, and <see cref="ArAddr"/> always shows the next burst's address
/// (<c>weight_base</c> + (sp − pending) · BurstBytes), which AXI makes meaningful only while
/// <see cref="ArValid"/> is 1.
/// </summary>
public readonly record struct TopOutputs(
    bool Busy,
    bool Done,
    int HostRData,
    uint DbgPc,
    bool DbgAccEn,
    bool ArValid = false,
    ulong ArAddr = 0,
    int ArLen = 0,
    int ArSize = 0,
    int ArBurst = 0,
    bool RReady = false,
    bool DbgStall = false,
    bool AxiError = false);
