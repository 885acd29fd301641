using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

internal static partial class BridgeGenerator
{
    private sealed partial class Bridge
    {
        private Ref _crcBad = null!, _busyReject = null!, _checkOk = null!, _execStart = null!, _execReset = null!, _execWrite = null!;
        private Ref _execRead = null!, _execStatus = null!, _writeDone = null!, _wordAddr = null!, _cycles = null!, _rejected = null!;
        private Ref _wordWrite = null!;

        /// <summary>The CHECK state's decision and what an executed frame does to the engine.</summary>
        public void Check()
        {
            M.Comment("Check: a frame is executed only with a good CRC, and writes, START and READ only while the engine is idle;");
            M.Comment("a START with the SEQ of the START just executed is a retransmission: acknowledged, not run again.");
            bool ignoreCrc = _faults.HasFlag(BridgeFaults.IgnoreCrc);
            _crcBad = M.Wire("crc_bad", ignoreCrc ? Bit(false) : Ne(_rxCrc, C(0, VType.U(16))));
            Ref lastStartValid = M.Reg("last_start_valid", VType.Bit);
            Ref lastStartSeq = M.Reg("last_start_seq", Byte);
            Ref duplicate = M.Wire("start_duplicate", _faults.HasFlag(BridgeFaults.RestartOnRetransmittedStart)
                ? Bit(false) : And(lastStartValid, Eq(_seq, lastStartSeq)));
            Ref newStart = M.Wire("new_start", And(Is(UartCommand.Start), Not(duplicate)));
            Expr refused = _faults.HasFlag(BridgeFaults.WriteWhileBusy) ? Or(newStart, _isRead) : Or(Or(_isWrite, newStart), _isRead);
            _busyReject = M.Wire("busy_reject", And(_busy, refused));
            _checkOk = M.Wire("check_ok", And(And(In(St.Check), Not(_crcBad)), Not(_busyReject)));
            _execStart = M.Wire("exec_start", And(_checkOk, newStart));
            _execReset = M.Wire("exec_reset", And(_checkOk, Is(UartCommand.Reset)));
            _execWrite = M.Wire("exec_write", And(_checkOk, _isWrite));
            _execRead = M.Wire("exec_read", And(_checkOk, _isRead));
            _execStatus = M.Wire("exec_status", And(_checkOk, Is(UartCommand.Status)));
            M.Comment("Engine control pulses; the last executed frame remembers whether it was a START (a retransmission is acknowledged, not run).");
            M.Always(_clk,
                If(_rst, [Set(_engStart, Bit(false)), Set(_engRst, Bit(false)), Set(lastStartValid, Bit(false))],
                [
                    Set(_engStart, _execStart),
                    Set(_engRst, _execReset),
                    If(_checkOk, [Set(lastStartValid, Is(UartCommand.Start)), Set(lastStartSeq, _seq)]),
                ]));
        }

        /// <summary>A checked write: the staging RAM, read back byte by byte, fills the word register
        /// from the top (little-endian), and each complete word is written at the next address.</summary>
        public void Replay()
        {
            int maxWordBytes = UartProtocol.WriteCommands.Max(w => UartProtocol.WordBytes(_cfg, w));
            int wordRegBits = 8 * maxWordBytes;
            var idxT = _rdAddr.Type;
            var byteT = _wordLastByte.Type;
            var addrT = VType.U(16);
            Ref wdata = M.Reg("wdata_q", VType.U(wordRegBits));
            Ref rdValid = M.Reg("rd_valid_q", VType.Bit);
            Ref wbyte = M.Reg("wbyte", byteT);
            _wordAddr = M.Reg("word_addr_q", addrT);
            M.Comment("Replay of the staging RAM: issue one read per cycle, shift each byte in a cycle later.");
            Ref issuing = M.Wire("replay_issuing", And(In(St.Write), Ne(_rdAddr, _wrIdx)));
            Ref wordComplete = M.Wire("replay_word_complete", Eq(wbyte, _wordLastByte));
            _wordWrite = M.Wire("replay_word_write", And(rdValid, wordComplete));
            _writeDone = M.Wire("write_done", And(And(In(St.Write), Not(issuing)), Not(rdValid)));
            M.Always(_clk,
                If(_execWrite, [Set(_rdAddr, C(0, idxT)), Set(wbyte, C(0, byteT))],
                [
                    If(issuing, [Set(_rdAddr, Add(_rdAddr, C(1, idxT), idxT))]),
                    If(rdValid, [Set(wbyte, Mux(wordComplete, C(0, byteT), Add(wbyte, C(1, byteT), byteT)))]),
                ]),
                Set(rdValid, issuing),
                If(rdValid, [Set(wdata, Cat(_stageRdata, Bits(wdata, 8, wordRegBits - 8)))]));
            M.Comment("Engine host-port writes: one per complete word, at the frame's address and up.");
            M.Always(_clk,
                If(_rst, [Set(_hostWe, Bit(false))], [Set(_hostWe, _wordWrite)]),
                If(_execWrite, [Set(_hostSel, Bits(_cmd, 0, 2))]),
                If(_wordWrite, [Set(_hostAddr, Bits(_wordAddr, 0, _cfg.HostAddrBits))]));
            HostWdata(wdata, wordRegBits);
        }

        /// <summary>host_wdata: the word register's top WordBytes bytes of the selected memory, zero-extended.</summary>
        private void HostWdata(Ref wdata, int wordRegBits)
        {
            var t = VType.U(_cfg.HostDataBits);
            Expr Word(UartCommand w) => Ext(Bits(wdata, wordRegBits - 8 * UartProtocol.WordBytes(_cfg, w), UartProtocol.WordBits(_cfg, w)), t);
            Ref imem = M.Wire("wdata_imem", Word(UartCommand.WriteImem));
            Ref wmem = M.Wire("wdata_wmem", Word(UartCommand.WriteWmem));
            Ref amem = M.Wire("wdata_amem", Word(UartCommand.WriteAmem));
            M.Comment("The word register's bytes for the selected memory.");
            Ref selWmem = M.Wire("sel_is_wmem", EqC(_hostSel, 1));
            Ref selAmem = M.Wire("sel_is_amem", EqC(_hostSel, 2));
            Expr chosen = Mux(selWmem, wmem, Mux(selAmem, amem, imem, t), t);
            M.Drive(_hostWdata, chosen);
        }

        /// <summary>The word address (writes and READ), the busy-cycle counter and the rejected-frame counter.</summary>
        public void Counters()
        {
            var addrT = VType.U(16);
            M.Comment("Word address: the frame's ADDR, then one up per word written or read.");
            M.Always(_clk,
                If(Or(_execWrite, _execRead), [Set(_wordAddr, _addr)],
                [If(Or(_wordWrite, _readWordDone), [Set(_wordAddr, Add(_wordAddr, C(1, addrT), addrT))])]));
            var cycT = VType.U(32);
            var rejT = VType.U(16);
            M.Comment("Busy cycles of the current or last run (cleared by START and RESET); frames rejected since power-on.");
            Ref sendError = M.Wire("send_error_reply", And(_sendSync, Ne(_status, StatusRef(UartStatus.Ok))));
            M.Always(_clk,
                If(Or(Or(_rst, _execStart), _execReset), [Set(_cycles, C(0, cycT))], [If(_busy, [Set(_cycles, Add(_cycles, C(1, cycT), cycT))])]),
                If(_rst, [Set(_rejected, C(0, rejT)), Set(_errorLed, Bit(false))],
                [
                    If(sendError, [Set(_rejected, Add(_rejected, C(1, rejT), rejT))]),
                    If(_sendSync, [Set(_errorLed, Ne(_status, StatusRef(UartStatus.Ok)))]),
                ]));
        }
    }
}
