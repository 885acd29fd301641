using System.Numerics;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.Numerics;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

internal static partial class BridgeGenerator
{
    /// <summary>What follows a reply's header: nothing, the INFO ROM, the STATUS snapshot or omem rows.</summary>
    private enum Kind { None, Info, Status, Read }

    private sealed partial class Bridge
    {
        private Ref _sending = null!, _sendSync = null!, _readWordDone = null!, _chunkDone = null!, _moreChunks = null!;
        private Ref _afterHeader = null!, _kindOk = null!, _lenOk = null!;
        private readonly Dictionary<Kind, Ref> _kindParam = [];
        private static readonly VType KindT = VType.U(2);

        private Ref K(Kind k) => _kindParam[k];

        /// <summary>The reply: header, payload bytes and CRC, one byte whenever the transmitter is free.</summary>
        public void Reply()
        {
            foreach (Kind k in Enum.GetValues<Kind>()) _kindParam[k] = M.ValueParam("KIND_" + k.ToString().ToUpperInvariant(), C((int)k, KindT));
            Ref kindInfo = M.Wire("kind_is_info", Eq(_kind, K(Kind.Info)));
            Ref kindRead = M.Wire("kind_is_read", Eq(_kind, K(Kind.Read)));
            Ref kindNone = M.Wire("kind_is_none", Eq(_kind, K(Kind.None)));
            Ref kindStatus = M.Wire("kind_is_status", Eq(_kind, K(Kind.Status)));
            Ref dataByte = Payload(kindInfo, kindStatus, kindRead);
            M.Comment("Reply bytes: the transmitter takes one when it is ready and was not just given one.");
            Ref canSend = M.Wire("can_send", And(_txReady, Not(_txSend)));
            Ref crcTx = M.Reg("crc_tx_q", VType.U(16));
            Expr txByte = Mux(In(St.TxSync), new Ref("SYNC_REPLY", Byte), Mux(In(St.TxSeq), _seq, Mux(In(St.TxStatus), _status,
                Mux(In(St.TxLenLo), Bits(_len, 0, 8), Mux(In(St.TxLenHi), Bits(_len, 8, 8),
                Mux(In(St.TxCrcLo), Bits(crcTx, 0, 8), Mux(In(St.TxCrcHi), Bits(crcTx, 8, 8), dataByte)))))));
            Ref txByteW = M.Wire("tx_byte", txByte);
            Ref byteState = M.Wire("in_tx_byte_state", Or(Or(Or(In(St.TxSync), In(St.TxSeq)), Or(In(St.TxStatus), In(St.TxLenLo))),
                Or(Or(In(St.TxLenHi), In(St.TxData)), Or(In(St.TxCrcLo), In(St.TxCrcHi)))));
            _sending = M.Wire("sending", And(byteState, canSend));
            _sendSync = M.Wire("send_sync", And(_sending, In(St.TxSync)));
            Ref crced = M.Wire("send_crced", And(_sending, Not(Or(Or(In(St.TxSync), In(St.TxCrcLo)), In(St.TxCrcHi)))));
            Ref crcNext = M.Net("crc_tx_next", VType.U(16));
            M.Instantiate(Crc16Generator.ModuleName, "crc_tx", Pin("crc_in", crcTx), Pin("data", txByteW), Pin("crc_out", crcNext));
            M.Always(_clk,
                If(_rst, [Set(_txSend, Bit(false))], [Set(_txSend, _sending)]),
                If(_sending, [Set(_txData, txByteW)]),
                If(_sendSync, [Set(crcTx, C(0xFFFF, VType.U(16)))], [If(crced, [Set(crcTx, crcNext)])]));
            _afterHeader = M.Wire("after_header", Mux(kindNone, S(St.TxCrcLo), Mux(kindRead, S(St.TxFetch), S(St.TxData))));
            Ref len = ReadLength();
            M.Comment("What an executed frame replies: its kind and LEN.");
            _kindOk = M.Wire("kind_ok", Mux(Is(UartCommand.Info), K(Kind.Info), Mux(Is(UartCommand.Status), K(Kind.Status), Mux(_isRead, K(Kind.Read), K(Kind.None)))));
            var lenT = VType.U(16);
            _lenOk = M.Wire("len_ok", Mux(Is(UartCommand.Info), C(UartProtocol.InfoPayloadBytes, lenT),
                Mux(Is(UartCommand.Status), C(UartProtocol.StatusPayloadBytes, lenT), Mux(_isRead, len, C(0, lenT), lenT), lenT), lenT));
        }

        /// <summary>Payload bytes: the INFO ROM by byte index, else the reply register's low byte (STATUS
        /// snapshot, or one omem row fetched through host_raddr/host_rrow and sign-extended).</summary>
        private Ref Payload(Ref kindInfo, Ref kindStatus, Ref kindRead)
        {
            int rowBytes = UartProtocol.RowBytes(_cfg);
            int replyBits = 8 * Math.Max(UartProtocol.StatusPayloadBytes, rowBytes);
            var idxT = VType.U(Widths.AddressBits(Math.Max(UartProtocol.InfoPayloadBytes, Math.Max(UartProtocol.StatusPayloadBytes, rowBytes))));
            var rowT = VType.U(_cfg.RowSelectBits);
            Ref reply = M.Reg("reply_q", VType.U(replyBits));
            Ref dataIdx = M.Reg("data_idx", idxT);
            Ref row = M.Reg("row_q", rowT);
            Ref wordsLeft = M.Reg("read_words_left", Byte);
            M.Comment("INFO payload (docs/board.md): the engine configuration and the serial link, from a ROM.");
            byte[] info = UartProtocol.InfoPayload(_cfg, _link);
            Ref infoByte = Rom("info_byte", dataIdx, info.Select(v => (BigInteger)v).ToArray(), Byte);
            Ref lastInfo = M.ValueParam("INFO_LAST_BYTE", C(UartProtocol.InfoPayloadBytes - 1, idxT));
            Ref lastStatus = M.ValueParam("STATUS_LAST_BYTE", C(UartProtocol.StatusPayloadBytes - 1, idxT));
            Ref lastRowByte = M.ValueParam("ROW_LAST_BYTE", C(rowBytes - 1, idxT));
            Ref lastRow = M.ValueParam("LAST_ROW", C(_cfg.Rows - 1, rowT));
            Ref chunkLast = M.Wire("chunk_last_byte", Mux(kindInfo, lastInfo, Mux(kindStatus, lastStatus, lastRowByte)));
            Ref sendData = M.Wire("send_data", And(And(In(St.TxData), _txReady), Not(_txSend)));
            _chunkDone = M.Wire("chunk_done", And(sendData, Eq(dataIdx, chunkLast)));
            Ref rowDone = M.Wire("read_row_done", And(_chunkDone, kindRead));
            Ref atLastRow = M.Wire("at_last_row", Eq(row, lastRow));
            _readWordDone = M.Wire("read_word_done", And(rowDone, atLastRow));
            _moreChunks = M.Wire("more_chunks", And(kindRead, Not(And(atLastRow, EqC(wordsLeft, 1)))));
            Ref snapshot = M.Wire("status_snapshot", Ext(Cat(_rejected, _cycles, C(0, VType.U(6)), _done, _busy), VType.U(replyBits)));
            Ref rowValue = M.Wire("row_value", Ext(Ext(_hostRdata, VType.S(replyBits)), VType.U(replyBits)));
            M.Comment("Reply register, byte index and the READ walk over rows and words.");
            M.Always(_clk,
                If(_execStatus, [Set(reply, snapshot)],
                [If(In(St.TxLatch), [Set(reply, rowValue)], [If(sendData, [Set(reply, Cat(C(0, Byte), Bits(reply, 8, replyBits - 8)))])])]),
                If(Or(In(St.TxLenHi), In(St.TxLatch)), [Set(dataIdx, C(0, idxT))], [If(sendData, [Set(dataIdx, Add(dataIdx, C(1, idxT), idxT))])]),
                If(_execRead, [Set(row, C(0, rowT)), Set(wordsLeft, _count)],
                [If(rowDone, [Set(row, Mux(atLastRow, C(0, rowT), Add(row, C(1, rowT), rowT))),
                    If(atLastRow, [Set(wordsLeft, Sub(wordsLeft, C(1, Byte), Byte))])])]),
                If(In(St.TxFetch), [Set(_hostRaddr, Bits(_wordAddr, 0, _cfg.OutAddrBits)), Set(_hostRrow, row)]));
            return M.Wire("data_byte", Mux(kindInfo, infoByte, Bits(reply, 0, 8)));
        }

        /// <summary>LEN of a READ reply, COUNT · rows · RowBytes, as shifts and adds of COUNT (no multiplier).</summary>
        private Ref ReadLength()
        {
            int k = _cfg.Rows * UartProtocol.RowBytes(_cfg);
            var wide = VType.U(32);
            Expr sum = C(0, wide);
            bool first = true;
            for (int b = 0; b < 24; b++)
            {
                if (((k >> b) & 1) == 0) continue;
                Expr term = Ext(b == 0 ? _count : Cat(_count, C(0, VType.U(b))), wide);
                sum = first ? term : Add(sum, term, wide);
                first = false;
            }
            Ref full = M.Wire("read_len_full", sum);
            M.Wire("unused_read_len_hi", Bits(full, 16, 16));
            return M.Wire("read_len", Bits(full, 0, 16));
        }
    }
}
