using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Model.Decoding;

namespace Bit1HW.Flows;

/// <summary>The ternary GEMV backends of the decoder, by the names <c>bit1hw decode --backend</c> takes.</summary>
public static class DecoderBackends
{
    public static IReadOnlyList<string> Names { get; } = ["reference", "scalar", "core", "sim", "verilator"];

    /// <summary>Whether the backend runs on an accelerator engine and so uses a hardware configuration.</summary>
    public static bool UsesHardware(string name) => name is "sim" or "verilator";

    /// <summary>
    /// A backend by name: <c>reference</c> (the fast software GEMV, <paramref name="threads"/> 0 = all
    /// cores), <c>scalar</c>, <c>core</c> (Core's BitLinear), <c>sim</c> or <c>verilator</c> (an
    /// <see cref="AcceleratorBackend"/> on <paramref name="hardware"/>, default the built-in
    /// configuration, priced at <paramref name="node"/>; Verilator build messages go to
    /// <paramref name="progress"/>). An unknown name is a <see cref="UserInputException"/> on
    /// <paramref name="subject"/>.
    /// </summary>
    public static ITernaryLinearBackend Create(string name, int threads = 0, HardwareConfig? hardware = null, string node = "7nm",
        TextWriter? progress = null, string subject = "--backend") => name switch
    {
        "reference" => new ReferenceBackend(threads),
        "scalar" => new ScalarBackend(),
        "core" => new CoreBackend(),
        "sim" => AcceleratorBackend.Simulator(hardware ?? HardwareConfig.Default, node),
        "verilator" => AcceleratorBackend.Verilator(hardware ?? HardwareConfig.Default, node, progress),
        _ => throw new UserInputException(subject, $"'{name}' is not one of {string.Join(", ", Names)}"),
    };
}
