using System.Globalization;
using Bit1HW.Core;
using Bit1HW.Flows.Resources;
using Bit1HW.HdlGen.Synth;

namespace Bit1HW.Flows.Explore;

/// <summary>
/// The resources an exploration may use (<c>--budget luts=..,ffs=..,brams=..,sprams=..,dsps=..</c>).
/// A point whose predicted use exceeds any of them is pruned before it is projected. LUTs are
/// compared with the prediction's LUTs (iCE40: SB_LUT4; 7-series: LUT units), block RAM in the units
/// <c>bit1hw synth</c> counts (SB_RAM40_4K; RAMB18).
/// </summary>
public sealed record ExploreBudget(int Luts, int Ffs, int Brams, int Sprams, int Dsps)
{
    public static readonly string[] Keys = ["luts", "ffs", "brams", "sprams", "dsps"];

    /// <summary>
    /// The default budget of a target: the UP5K's capacity (5280 LUT4 and FFs, 30 block RAMs, 4 SPRAMs,
    /// 8 SB_MAC16); for xc7 a mid-size part, the XC7A100T (63400 LUTs, 126800 FFs, 270 RAMB18, 240
    /// DSP48E1), not the XC7A35T that <c>bit1hw synth</c> reports percentages against.
    /// </summary>
    public static ExploreBudget Default(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => OfPart(SynthTargets.Capacity(SynthTarget.Ice40Up5k)),
        SynthTarget.Xc7 => new(63400, 126800, 270, 0, 240),
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>A part's whole capacity as <c>bit1hw synth</c> counts it (a resource the part lacks is 0).</summary>
    private static ExploreBudget OfPart(IReadOnlyList<DeviceResource> capacity)
    {
        int Of(string resource) => capacity.FirstOrDefault(r => r.Name == resource)?.Available ?? 0;
        return new(Of(SynthTargets.Luts), Of(SynthTargets.Ffs), Of(SynthTargets.Brams), Of(SynthTargets.Sprams), Of(SynthTargets.Dsps));
    }

    /// <summary>The part the default budget describes, for reports.</summary>
    public static string DefaultPart(SynthTarget t) => t switch
    {
        SynthTarget.Ice40Up5k => "iCE40UP5K (capacity)",
        SynthTarget.Xc7 => "XC7A100T (capacity)",
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>
    /// <c>key=value</c> pairs separated by commas, each overriding the target's default; a key not
    /// named keeps the default. A bad key, a missing or negative value is a user error naming it.
    /// </summary>
    public static ExploreBudget Parse(string? text, SynthTarget target)
    {
        ExploreBudget b = Default(target);
        if (text is null) return b;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string part in text.Split(','))
        {
            string[] kv = part.Split('=', 2);
            string key = kv[0].Trim();
            if (!Keys.Contains(key))
                throw new UserInputException("--budget", $"'{part}': the key must be one of {string.Join(", ", Keys)} (as key=value, comma-separated)");
            if (!seen.Add(key)) throw new UserInputException("--budget", $"'{key}' is given twice");
            if (kv.Length != 2 || !int.TryParse(kv[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v))
                throw new UserInputException("--budget", $"'{part}': {key} needs a whole number of at least 0 (e.g. {key}=1000)");
            b = key switch
            {
                "luts" => b with { Luts = v },
                "ffs" => b with { Ffs = v },
                "brams" => b with { Brams = v },
                "sprams" => b with { Sprams = v },
                "dsps" => b with { Dsps = v },
                _ => throw new System.Diagnostics.UnreachableException(key),
            };
        }
        return b;
    }

    /// <summary>The first resource the estimate exceeds, as "luts 6000 > 5280", or null when it fits.</summary>
    public string? Exceeded(ResourceEstimate e)
    {
        foreach (var (name, used, limit) in new[]
        {
            ("luts", e.Luts, Luts), ("ffs", e.Ffs, Ffs), ("brams", e.Brams, Brams), ("sprams", e.Sprams, Sprams), ("dsps", e.Dsps, Dsps),
        })
            if (used > limit) return string.Create(CultureInfo.InvariantCulture, $"{name} {used} > {limit}");
        return null;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"luts={Luts},ffs={Ffs},brams={Brams},sprams={Sprams},dsps={Dsps}");
}
