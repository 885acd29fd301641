using Bit1HW.Core;

namespace Bit1HW.Model;

/// <summary>
/// The GGUF architecture names a BitNet b1.58 model can carry, and the FFN activation each runtime's
/// graph builds for it (docs/model.md, "Architecture names"). The name decides the graph, so it must
/// match the model's activation: a runtime does not check, it silently runs a different model.
/// <list type="bullet">
/// <item><c>bitnet</c>: mainline llama.cpp and bitnet.cpp's fork both build a SiLU-gated FFN
/// (silu(gate)·up); newer mainline versions read <c>bitnet.hidden_activation</c> and fall back to
/// SiLU for values they do not know (there is no relu² entry in their table).</item>
/// <item><c>bitnet-b1.58</c> (BitNet b1.58 2B-4T's name) and <c>bitnet-25</c>: bitnet.cpp's fork only;
/// both build relu²(gate)·up. Mainline llama.cpp refuses them as unknown architectures.</item>
/// </list>
/// Every name uses the same tensor names and NEOX RoPE; metadata keys are prefixed with the name.
/// </summary>
internal sealed record GgufArchitecture(string Name, HiddenAct Act, string Runtimes)
{
    public static readonly GgufArchitecture Bitnet = new("bitnet", HiddenAct.Silu, "mainline llama.cpp and bitnet.cpp");
    public static readonly GgufArchitecture BitnetB158 = new("bitnet-b1.58", HiddenAct.Relu2, "bitnet.cpp");
    public static readonly GgufArchitecture Bitnet25 = new("bitnet-25", HiddenAct.Relu2, "bitnet.cpp");

    public static readonly IReadOnlyList<GgufArchitecture> All = [Bitnet, BitnetB158, Bitnet25];

    public static string Names => string.Join(", ", All.Select(a => a.Name));

    public static GgufArchitecture? Find(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>The default name for a model: mainline's <c>bitnet</c> for SiLU, bitnet.cpp's <c>bitnet-b1.58</c> for relu².</summary>
    public static GgufArchitecture For(HiddenAct act) => act == HiddenAct.Silu ? Bitnet : BitnetB158;

    /// <summary>The name the user asked for (<c>--arch</c>), checked against the model's activation.</summary>
    public static GgufArchitecture Choose(string? requested, HiddenAct act)
    {
        if (requested is null) return For(act);
        var arch = Find(requested) ?? throw new UserInputException("--arch", $"'{requested}' is not one of {Names}");
        if (arch.Act != act)
            throw new UserInputException("--arch",
                $"'{arch.Name}' makes {arch.Runtimes} build a {ActName(arch.Act)} FFN, but this model's hidden_act is {ActName(act)}: " +
                $"the file would run as a different model; use '{For(act).Name}'");
        return arch;
    }

    public static string ActName(HiddenAct act) => act == HiddenAct.Relu2 ? "relu2" : "silu";
}
