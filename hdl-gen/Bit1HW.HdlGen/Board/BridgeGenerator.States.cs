using Bit1HW.Core.Hardware;
using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Board;

internal static partial class BridgeGenerator
{
    private sealed partial class Bridge
    {
        /// <summary>The state register and the frame's fields (SEQ, CMD, ADDR, COUNT, the reply's STATUS, kind and LEN).</summary>
        public void StateMachine()
        {
            Ref drainDone = M.Wire("drain_done", And(In(St.Drain), _lineQuiet));
            M.Comment("The protocol state machine: a timeout or a bad character inside a frame wins over everything else.");
            M.Always(_clk, If(_rst, [Set(_state, S(St.Hunt)), Set(_status, StatusRef(UartStatus.Ok)), Set(_kind, K(Kind.None))],
            [
                If(_frameTimeout, [Set(_status, StatusRef(UartStatus.Timeout)), Set(_state, S(St.TxSync))],
                [If(_frameBadChar, Drain(UartStatus.Framing), [.. ReceiveStates(), .. CheckState(), .. ReplyStates(drainDone)])]),
            ]));
        }

        private Stmt[] Drain(UartStatus why) => [Set(_status, StatusRef(why)), Set(_state, S(St.Drain))];

        private Stmt[] ReceiveStates()
        {
            Ref b(St s) => _byteIn[s];
            return
            [
                If(_huntSync, [Set(_state, S(St.Seq)), Set(_status, StatusRef(UartStatus.Ok)), Set(_kind, K(Kind.None)), Set(_len, C(0, VType.U(16)))]),
                If(b(St.Seq), [Set(_seq, _rxData), Set(_state, S(St.Cmd))]),
                If(b(St.Cmd), [Set(_cmd, _rxData), Set(_state, S(St.AddrLo))]),
                If(b(St.AddrLo), [Set(_addr, Cat(Bits(_addr, 8, 8), _rxData)), Set(_state, S(St.AddrHi))]),
                If(b(St.AddrHi), [Set(_addr, Cat(_rxData, Bits(_addr, 0, 8))), Set(_state, S(St.Count))]),
                If(b(St.Count), [Set(_count, _rxData),
                    If(_cmdUnknown, Drain(UartStatus.UnknownCommand),
                        [If(_countBad, Drain(UartStatus.BadCount), [Set(_state, Mux(_isWrite, S(St.Payload), S(St.CrcLo)))])])]),
                If(_payloadDone, [Set(_state, S(St.CrcLo))]),
                If(b(St.CrcLo), [Set(_state, S(St.CrcHi))]),
                If(b(St.CrcHi), [Set(_state, S(St.Check))]),
            ];
        }

        private Stmt[] CheckState() =>
        [
            If(In(St.Check), [If(_crcBad, Drain(UartStatus.BadCrc),
                [If(_busyReject, [Set(_status, StatusRef(UartStatus.Busy)), Set(_state, S(St.TxSync))],
                    [Set(_kind, _kindOk), Set(_len, _lenOk), Set(_state, Mux(_isWrite, S(St.Write), S(St.TxSync)))])])]),
            If(_writeDone, [Set(_state, S(St.TxSync))]),
        ];

        private Stmt[] ReplyStates(Ref drainDone)
        {
            Ref send(St s) => M.Wire($"send_{StateName(s)[5..].ToLowerInvariant()}", And(_sending, In(s)));
            return
            [
                If(drainDone, [Set(_state, S(St.TxSync))]),
                If(_sendSync, [Set(_state, S(St.TxSeq))]),
                If(send(St.TxSeq), [Set(_state, S(St.TxStatus))]),
                If(send(St.TxStatus), [Set(_state, S(St.TxLenLo))]),
                If(send(St.TxLenLo), [Set(_state, S(St.TxLenHi))]),
                If(send(St.TxLenHi), [Set(_state, _afterHeader)]),
                If(In(St.TxFetch), [Set(_state, S(St.TxWait))]),
                If(In(St.TxWait), [Set(_state, S(St.TxLatch))]),
                If(In(St.TxLatch), [Set(_state, S(St.TxData))]),
                If(_chunkDone, [Set(_state, Mux(_moreChunks, S(St.TxFetch), S(St.TxCrcLo)))]),
                If(send(St.TxCrcLo), [Set(_state, S(St.TxCrcHi))]),
                If(send(St.TxCrcHi), [Set(_state, S(St.Hunt))]),
            ];
        }
    }
}
