using System.CommandLine;
using Bit1HW.Compiler;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;
using Bit1HW.Core.IO;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw asm</c>: assembles a program (docs/hardware.md, "Assembly") and checks it fits a configuration's instruction memory.</summary>
internal static class AsmCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Assembly file (.s), as 'compile --asm' writes it", Required = true };
        var config = new Option<string?>("--config") { Description = "Hardware config JSON whose instruction memory must hold the program (default: the built-in default)" };
        var output = new Option<string?>("--out") { Description = "Write the words as $readmemh hex, one 32-bit word per line" };
        var cmd = new Command("asm", "Assemble a program, check it fits the instruction memory, optionally write it as $readmemh hex.\n\nExample:\n  bit1hw asm --in build/demo/small.s --out build/demo/small.hex")
        {
            input, config, output,
        };
        cmd.SetAction(parse =>
        {
            string path = Flags.Path(parse.GetValue(input), "--in");
            HardwareConfig c = HardwareConfig.LoadOrDefault(parse.GetValue(config));
            uint[] words = Assembler.AssembleFile(path);
            if (words.Length > c.InstrDepth)
                throw new UserInputException(path, $"{words.Length} instructions exceed the instruction memory of {c.Tag} ({c.InstrDepth} words)");
            if (parse.GetValue(output) is { } hexPath) AtomicFile.WriteAllText(hexPath, Assembler.ToHex(words));
            parse.InvocationConfiguration.Output.WriteLine($"asm: {path}: {words.Length}/{c.InstrDepth} instruction words ({c.Tag})");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
