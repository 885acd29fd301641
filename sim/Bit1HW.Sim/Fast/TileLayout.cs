using System.Numerics;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Sim.Fast;

/// <summary>
/// How the fast path keeps wmem and amem (docs/hardware.md, "Memories and word layouts", read for
/// speed): each row's lanes are padded to <see cref="PaddedLanes"/> Jp (4, 8, 16, 32, 64 or a
/// multiple of 64), so a 64-lane vector holds whole rows or a row is whole vectors, and a word is
/// <see cref="Vectors"/> such vectors (rows · Jp lanes rounded up to 64). A ternary weight stays in
/// its 2-bit <c>TernaryCode</c> (16 bytes per vector; padding is code 00, weight 0); an INT8 weight
/// is one signed byte (64 bytes per vector). An activation word is Jp signed bytes, repeated to fill
/// 64 bytes when Jp &lt; 64, so vector v of a weight word meets activation bytes (64·v) mod
/// <see cref="ActBytes"/>. When lanes is 4, 8, 16, 32 or a multiple of 64 and rows · lanes a
/// multiple of 64, the ternary word is the hardware word itself.
/// </summary>
internal sealed class TileLayout
{
    public TileLayout(HardwareConfig config)
    {
        Rows = config.Rows;
        Lanes = config.Lanes;
        Ternary = config.Pe == PeKind.Ternary;
        PaddedLanes = Lanes <= 4 ? 4 : Lanes <= 64 ? (int)BitOperations.RoundUpToPowerOf2((uint)Lanes) : (Lanes + 63) / 64 * 64;
        Vectors = (int)(((long)Rows * PaddedLanes + 63) / 64);
        WeightBytes = Vectors * (Ternary ? 16 : 64);
        ActBytes = Math.Max(64, PaddedLanes);
        _rowOfPartial4 = PartialRows(4);
        _rowOfPartial2 = PartialRows(2);
    }

    private readonly int[] _rowOfPartial4, _rowOfPartial2;

    public int Rows { get; }
    public int Lanes { get; }
    public bool Ternary { get; }
    public int PaddedLanes { get; }
    public int Vectors { get; }
    /// <summary>Bytes of one weight word.</summary>
    public int WeightBytes { get; }
    /// <summary>Bytes of one activation word (Jp values, repeated up to 64).</summary>
    public int ActBytes { get; }

    /// <summary>
    /// Row of each partial sum of a word when a partial covers <paramref name="lanesPerPartial"/>
    /// (2 or 4) consecutive lanes: partial p covers word lanes [p·n, p·n + n), of row (p·n) / Jp
    /// (rows ≥ <see cref="Rows"/> are padding).
    /// </summary>
    public int[] RowOfPartial(int lanesPerPartial) => lanesPerPartial == 4 ? _rowOfPartial4 : _rowOfPartial2;

    private int[] PartialRows(int lanesPerPartial)
    {
        var rows = new int[Vectors * 64 / lanesPerPartial];
        for (int p = 0; p < rows.Length; p++) rows[p] = p * lanesPerPartial / PaddedLanes;
        return rows;
    }
}
