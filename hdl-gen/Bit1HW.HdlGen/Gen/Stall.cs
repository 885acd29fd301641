using Bit1HW.HdlGen.Verilog;
using static Bit1HW.HdlGen.Verilog.E;

namespace Bit1HW.HdlGen.Gen;

/// <summary>
/// The stall freeze of a streaming engine (docs/hardware.md, "Stalls"): in a stall cycle nothing in
/// the engine changes state, so each clocked block of the controller, the memories' read registers,
/// the PE pipeline and the accumulators loads only while <c>go</c> (= not stall) is 1. A host-fed
/// engine has no <c>go</c> and its blocks are generated exactly as before.
/// </summary>
internal static class Stall
{
    /// <summary>The statements as they are (no <paramref name="go"/>), or under <c>if (go)</c>.</summary>
    public static Stmt[] Held(Ref? go, params Stmt[] body) => go is null ? body : [If(go, body)];
}
