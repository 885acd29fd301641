using System.Numerics;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

internal static partial class BridgeGenerator
{
    private sealed partial class Bridge
    {
        // Receive-side events and values the state machine and the other sections use.
        private Ref _huntSync = null!, _frameTimeout = null!, _frameBadChar = null!, _isWrite = null!, _isRead = null!;
        private Ref _cmdUnknown = null!, _countBad = null!, _payloadDone = null!, _wordLastByte = null!, _wrIdx = null!;
        private readonly Dictionary<St, Ref> _byteIn = [];
        private int _stageBits;

        /// <summary>Header checks, the payload's staging RAM and the receive CRC.</summary>
        public void Receive()
        {
            M.Comment("Receive: which bytes belong to a frame, and the events they cause.");
            Ref isSync = M.Wire("rx_is_sync", Eq(_rxData, new Ref("SYNC_REQUEST", Byte)));
            _huntSync = M.Wire("hunt_sync", And(And(In(St.Hunt), _rxValid), isSync));
            St[] frame = [St.Seq, St.Cmd, St.AddrLo, St.AddrHi, St.Count, St.Payload, St.CrcLo, St.CrcHi];
            Expr inFrame = In(frame[0]);
            foreach (St s in frame.Skip(1)) inFrame = Or(inFrame, In(s));
            Ref inFrameW = M.Wire("in_frame", inFrame);
            _frameTimeout = M.Wire("frame_timeout", And(inFrameW, _lineQuiet));
            _frameBadChar = M.Wire("frame_bad_char", And(inFrameW, _rxError));
            foreach (St s in frame) _byteIn[s] = M.Wire($"byte_in_{StateName(s)[2..].ToLowerInvariant()}", And(In(s), _rxValid));
            Commands();
            Payload();
            M.Comment("Receive CRC: restarts at SYNC, takes every later byte of the frame, its own CRC included (0 when intact).");
            Ref crcNext = M.Net("crc_rx_next", VType.U(16));
            M.Instantiate(Crc16Generator.ModuleName, "crc_rx", Pin("crc_in", _rxCrc), Pin("data", _rxData), Pin("crc_out", crcNext));
            Ref crcTake = M.Wire("crc_rx_take", And(inFrameW, _rxValid));
            M.Always(_clk, If(_huntSync, [Set(_rxCrc, C(0xFFFF, VType.U(16)))], [If(crcTake, [Set(_rxCrc, crcNext)])]));
        }

        /// <summary>The command's class and the COUNT check, made on the COUNT byte as it arrives.</summary>
        private void Commands()
        {
            M.Comment("Commands: writes and READ carry a COUNT of 1..MAX_WORDS_*; any other CMD byte is unknown.");
            _isWrite = M.Wire("is_write", Or(Or(Is(UartCommand.WriteImem), Is(UartCommand.WriteWmem)), Is(UartCommand.WriteAmem)));
            _isRead = Is(UartCommand.ReadOmem);
            Ref control = M.Wire("is_control", Or(Or(Is(UartCommand.Info), Is(UartCommand.Status)), Or(Is(UartCommand.Reset), Is(UartCommand.Start))));
            _cmdUnknown = M.Wire("cmd_unknown", Not(Or(Or(_isWrite, _isRead), control)));
            Ref maxImem = M.ValueParam("MAX_WORDS_IMEM", C(UartProtocol.MaxWriteWords(_cfg, UartCommand.WriteImem), Byte));
            Ref maxWmem = M.ValueParam("MAX_WORDS_WMEM", C(UartProtocol.MaxWriteWords(_cfg, UartCommand.WriteWmem), Byte));
            Ref maxAmem = M.ValueParam("MAX_WORDS_AMEM", C(UartProtocol.MaxWriteWords(_cfg, UartCommand.WriteAmem), Byte));
            Ref maxRead = M.ValueParam("MAX_WORDS_READ", C(UartProtocol.MaxReadWords(_cfg), Byte));
            Ref countMax = M.Wire("count_max", Mux(Is(UartCommand.WriteImem), maxImem,
                Mux(Is(UartCommand.WriteWmem), maxWmem, Mux(Is(UartCommand.WriteAmem), maxAmem, maxRead))));
            var wide = VType.U(9);
            Ref headroom = M.Wire("count_headroom", Sub(Ext(countMax, wide), Ext(_rxData, wide), wide));
            Ref over = M.Wire("count_over_max", Bits(headroom, 8, 1));
            M.Wire("unused_count_headroom_lo", Bits(headroom, 0, 8));
            Ref zero = M.Wire("count_zero", EqC(_rxData, 0));
            _countBad = M.Wire("count_bad", And(Or(_isWrite, _isRead), Or(zero, over)));
        }

        /// <summary>The staging RAM: a write's payload bytes, in order, until the CRC says they may go to the engine.</summary>
        private void Payload()
        {
            int staging = UartProtocol.StagingBytes(_cfg);
            _stageBits = Widths.AddressBits(staging);
            int maxWordBytes = UartProtocol.WriteCommands.Max(w => UartProtocol.WordBytes(_cfg, w));
            var byteT = VType.U(Widths.AddressBits(maxWordBytes));
            var idxT = VType.U(_stageBits + 1);
            WidthParam stageDepth = M.WidthParam("STAGING_BYTES", staging);
            M.Comment("Staging RAM: payload bytes of the frame being received, replayed into the engine after the CRC check.");
            M.Memory("stage_mem", 8, staging, noReadWriteCheck: true, depthParam: stageDepth);
            _wrIdx = M.Reg("wr_idx", idxT);
            Ref byteInWord = M.Reg("byte_in_word", byteT);
            Ref wordsLeft = M.Reg("words_left", Byte);
            Ref lastImem = M.ValueParam("LAST_BYTE_IMEM", C(UartProtocol.WordBytes(_cfg, UartCommand.WriteImem) - 1, byteT));
            Ref lastWmem = M.ValueParam("LAST_BYTE_WMEM", C(UartProtocol.WordBytes(_cfg, UartCommand.WriteWmem) - 1, byteT));
            Ref lastAmem = M.ValueParam("LAST_BYTE_AMEM", C(UartProtocol.WordBytes(_cfg, UartCommand.WriteAmem) - 1, byteT));
            _wordLastByte = M.Wire("word_last_byte", Mux(Is(UartCommand.WriteImem), lastImem, Mux(Is(UartCommand.WriteWmem), lastWmem, lastAmem)));
            Ref payloadByte = _byteIn[St.Payload];
            Ref wordDone = M.Wire("payload_word_done", Eq(byteInWord, _wordLastByte));
            _payloadDone = M.Wire("payload_done", And(And(payloadByte, wordDone), EqC(wordsLeft, 1)));
            Ref countAccept = _byteIn[St.Count];
            M.Comment("Payload counters: byte within the word, words still to come, staging RAM write index.");
            M.Always(_clk,
                If(countAccept, [Set(_wrIdx, C(0, idxT)), Set(byteInWord, C(0, byteT)), Set(wordsLeft, _rxData)],
                [If(payloadByte, [
                    Set(_wrIdx, Add(_wrIdx, C(1, idxT), idxT)),
                    If(wordDone, [Set(byteInWord, C(0, byteT)), Set(wordsLeft, Sub(wordsLeft, C(1, Byte), Byte))],
                        [Set(byteInWord, Add(byteInWord, C(1, byteT), byteT))]),
                ])]));
            Ref stageRdata = M.Reg("stage_rdata", Byte);
            Ref rdAddr = M.Reg("rd_addr", idxT);
            _stageRdata = stageRdata;
            _rdAddr = rdAddr;
            M.Comment("Staging RAM write port and registered read port.");
            M.Always(_clk,
                If(payloadByte, [new MemWrite("stage_mem", Bits(_wrIdx, 0, _stageBits), _rxData)]),
                new MemRead(stageRdata.Name, "stage_mem", Bits(rdAddr, 0, _stageBits)));
        }

        private Ref _stageRdata = null!, _rdAddr = null!;

        /// <summary>A ROM as a chain of named multiplexers over an index: entry k while index = k, 0 past the end.</summary>
        private Ref Rom(string name, Ref index, IReadOnlyList<BigInteger> values, VType t)
        {
            Expr chain = C(0, t);
            int[] entries = Enumerable.Range(0, values.Count).Where(k => !values[k].IsZero).ToArray();
            for (int i = entries.Length - 1; i >= 0; i--)
            {
                int k = entries[i];
                Expr stage = Mux(EqC(index, k), C(values[k], t), chain, t);
                chain = i == 0 ? stage : M.Wire($"{name}_from_{k}", stage);
            }
            return M.Wire(name, chain);
        }
    }
}
