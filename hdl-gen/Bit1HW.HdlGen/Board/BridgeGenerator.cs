using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

/// <summary>
/// The protocol bridge <c>bit1hw_uart_bridge_&lt;tag&gt;_d&lt;cycles per bit&gt;</c> between the UART and
/// the engine's host port (docs/board.md, "Protocol"). One state machine, stop-and-wait:
/// <list type="number">
/// <item>Receive: HUNT drops bytes until the request SYNC; the header (SEQ, CMD, ADDR, COUNT) is
/// checked as it arrives (an unknown CMD or a COUNT of 0 or beyond what one frame may carry is
/// rejected at once); a write's payload goes into a byte-wide staging RAM, never to the engine;
/// every byte after SYNC runs through the CRC, which is 0 after a frame's own CRC bytes.</item>
/// <item>Check: only a frame with a good CRC is executed; writes, START and READ are refused while
/// the engine is busy. A write replays the staging RAM into the engine's host port, one word per
/// WordBytes bytes; START pulses start (a retransmitted START, same SEQ right after it, does not start
/// again); RESET pulses the engine's reset.</item>
/// <item>Reject: a bad frame (CRC, command, count, a character with a 0 stop bit, or no byte for
/// TIMEOUT_CYCLES inside a frame) is answered with an error status once the line has been quiet for
/// TIMEOUT_CYCLES, so the rest of a broken frame is drained and never read as a new one.</item>
/// <item>Reply: SYNC, SEQ, STATUS, LEN, the payload (INFO from a ROM; STATUS from a snapshot;
/// READ one omem row at a time through host_raddr/host_rrow) and the CRC, byte by byte.</item>
/// </list>
/// Every engine input comes from a flip-flop except host_wdata, a slice of the word register chosen
/// by the registered host_sel.
/// </summary>
internal static partial class BridgeGenerator
{
    public static string ModuleName(HardwareConfig cfg, UartLink link) =>
        string.Create(CultureInfo.InvariantCulture, $"bit1hw_uart_bridge_{cfg.Tag}_d{link.CyclesPerBit}");

    /// <summary>The bridge addresses words with a 16-bit ADDR field.</summary>
    public static void CheckFits(HardwareConfig cfg)
    {
        if (cfg.HostAddrBits > 16 || cfg.OutAddrBits > 16)
            throw new UserInputException("config", $"memories of {1 << Math.Max(cfg.HostAddrBits, cfg.OutAddrBits)} words: the UART bridge addresses at most 65536 words per memory");
    }

    /// <summary>The states, in the order of their encoding.</summary>
    internal enum St
    {
        Hunt, Seq, Cmd, AddrLo, AddrHi, Count, Payload, CrcLo, CrcHi, Check, Drain, Write,
        TxSync, TxSeq, TxStatus, TxLenLo, TxLenHi, TxFetch, TxWait, TxLatch, TxData, TxCrcLo, TxCrcHi,
    }

    private static string StateName(St s) => "S_" + string.Concat(s.ToString().Select((ch, i) =>
        char.IsUpper(ch) && i > 0 ? "_" + ch : ch.ToString(CultureInfo.InvariantCulture))).ToUpperInvariant();

    public static ModuleBuilder Build(HardwareConfig cfg, UartLink link, BridgeFaults faults)
    {
        var b = new Bridge(cfg, link, faults);
        b.Declare();
        b.Receive();
        b.Check();
        b.Replay();
        b.Reply();
        b.Counters();
        b.StateMachine();
        return b.M;
    }

    /// <summary>One bridge being described: its ports, constants and registers, shared by the sections.</summary>
    private sealed partial class Bridge(HardwareConfig cfg, UartLink link, BridgeFaults faults)
    {
        public readonly ModuleBuilder M = new(ModuleName(cfg, link));
        private readonly HardwareConfig _cfg = cfg;
        private readonly UartLink _link = link;
        private readonly BridgeFaults _faults = faults;
        private readonly Dictionary<St, Ref> _stateParam = [];
        private readonly Dictionary<St, Ref> _in = [];
        private readonly Dictionary<UartCommand, Ref> _isCmd = [];
        private static readonly VType Byte = VType.U(8);
        private static readonly VType StT = VType.U(5);

        private Ref _clk = null!, _rst = null!, _rxValid = null!, _rxData = null!, _rxError = null!, _txReady = null!;
        private Ref _busy = null!, _done = null!, _hostRdata = null!;
        private Ref _txSend = null!, _txData = null!, _engRst = null!, _engStart = null!, _hostWe = null!, _hostSel = null!;
        private Ref _hostAddr = null!, _hostRaddr = null!, _hostRrow = null!, _errorLed = null!, _hostWdata = null!;
        private Ref _state = null!, _seq = null!, _cmd = null!, _addr = null!, _count = null!, _status = null!, _kind = null!, _len = null!;
        private Ref _idle = null!, _lineQuiet = null!, _rxCrc = null!;

        private Ref S(St s) => _stateParam[s];
        private Ref In(St s) => _in[s];
        private Ref Is(UartCommand c) => _isCmd[c];
        private Ref Status(UartStatus s) => M.ValueParam(StatusName(s), C((int)s, Byte));
        private Ref StatusRef(UartStatus s) => new(StatusName(s), Byte);

        private static string StatusName(UartStatus s) => s switch
        {
            UartStatus.Ok => "STATUS_OK",
            UartStatus.BadCrc => "ERR_BAD_CRC",
            UartStatus.UnknownCommand => "ERR_UNKNOWN_COMMAND",
            UartStatus.BadCount => "ERR_BAD_COUNT",
            UartStatus.Timeout => "ERR_TIMEOUT",
            UartStatus.Busy => "ERR_BUSY",
            UartStatus.Framing => "ERR_FRAMING",
            _ => throw new System.Diagnostics.UnreachableException(s.ToString()),
        };

        private static string CommandName(UartCommand c) => c switch
        {
            UartCommand.Info => "CMD_INFO",
            UartCommand.Status => "CMD_STATUS",
            UartCommand.Reset => "CMD_RESET",
            UartCommand.Start => "CMD_START",
            UartCommand.WriteImem => "CMD_WRITE_IMEM",
            UartCommand.WriteWmem => "CMD_WRITE_WMEM",
            UartCommand.WriteAmem => "CMD_WRITE_AMEM",
            UartCommand.ReadOmem => "CMD_READ_OMEM",
            _ => throw new System.Diagnostics.UnreachableException(c.ToString()),
        };

        /// <summary>Ports, the protocol's constants as localparams, the state register and its decode.</summary>
        public void Declare()
        {
            BoardHeaders.Add(M, _link, "UART protocol bridge to the engine's host port: framed requests with SEQ and CRC-16, error replies.", _cfg);
            _clk = M.Input("clk", VType.Bit);
            _rst = M.Input("rst", VType.Bit);
            _rxValid = M.Input("rx_valid", VType.Bit);
            _rxData = M.Input("rx_data", Byte);
            _rxError = M.Input("rx_error", VType.Bit);
            _txReady = M.Input("tx_ready", VType.Bit);
            _busy = M.Input("eng_busy", VType.Bit);
            _done = M.Input("eng_done", VType.Bit);
            _hostRdata = M.Input("host_rdata", VType.S(_cfg.AccBits));
            _txSend = M.OutputReg("tx_send", VType.Bit);
            _txData = M.OutputReg("tx_data", Byte);
            _engRst = M.OutputReg("eng_rst", VType.Bit);
            _engStart = M.OutputReg("eng_start", VType.Bit);
            _hostWe = M.OutputReg("host_we", VType.Bit);
            _hostSel = M.OutputReg("host_sel", VType.U(2));
            _hostAddr = M.OutputReg("host_addr", VType.U(_cfg.HostAddrBits));
            _hostWdata = M.Output("host_wdata", VType.U(_cfg.HostDataBits));
            _hostRaddr = M.OutputReg("host_raddr", VType.U(_cfg.OutAddrBits));
            _hostRrow = M.OutputReg("host_rrow", VType.U(_cfg.RowSelectBits));
            _errorLed = M.OutputReg("error_led", VType.Bit);
            foreach (St s in Enum.GetValues<St>()) _stateParam[s] = M.ValueParam(StateName(s), C((int)s, StT));
            M.ValueParam("SYNC_REQUEST", C(UartProtocol.RequestSync, Byte));
            M.ValueParam("SYNC_REPLY", C(UartProtocol.ReplySync, Byte));
            foreach (UartCommand c in Enum.GetValues<UartCommand>()) M.ValueParam(CommandName(c), C((int)c, Byte));
            foreach (UartStatus s in Enum.GetValues<UartStatus>()) Status(s);
            DeclareRegisters();
        }

        private void DeclareRegisters()
        {
            _state = M.Reg("state", StT, 0);
            _seq = M.Reg("seq_q", Byte);
            _cmd = M.Reg("cmd_q", Byte);
            _addr = M.Reg("addr_q", VType.U(16));
            _count = M.Reg("count_q", Byte);
            _status = M.Reg("status_q", Byte);
            _kind = M.Reg("kind_q", VType.U(2));
            _len = M.Reg("len_q", VType.U(16));
            _rxCrc = M.Reg("crc_rx_q", VType.U(16));
            _cycles = M.Reg("cycles_q", VType.U(32));
            _rejected = M.Reg("rejected_q", VType.U(16));
            var idleT = VType.U(Widths.AddressBits(_link.TimeoutCycles + 1));
            _idle = M.Reg("idle_cnt", idleT);
            Ref timeout = M.ValueParam("TIMEOUT_CYCLES", C(_link.TimeoutCycles, idleT));
            M.Comment("Where the state machine is (one decode per state).");
            foreach (St s in Enum.GetValues<St>()) _in[s] = M.Wire("in_" + StateName(s)[2..].ToLowerInvariant(), Eq(_state, S(s)));
            foreach (UartCommand c in Enum.GetValues<UartCommand>())
                _isCmd[c] = M.Wire("is_" + CommandName(c)[4..].ToLowerInvariant(), Eq(_cmd, new Ref(CommandName(c), Byte)));
            _lineQuiet = M.Wire("line_quiet", Eq(_idle, timeout));
            M.Comment("Line activity: cycles since the last character ended, saturating at TIMEOUT_CYCLES.");
            Ref idleNext = M.Wire("idle_cnt_next", Mux(Or(_rxValid, _rxError), C(0, idleT), Mux(_lineQuiet, _idle, Add(_idle, C(1, idleT), idleT))));
            M.Always(_clk, If(_rst, [Set(_idle, timeout)], [Set(_idle, idleNext)]));
        }
    }
}
