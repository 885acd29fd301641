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
        var cfgOpts = new ConfigOptions();
        var output = new Option<string?>("--out") { Description = "Write the words as $readmemh hex, one 32-bit word per line" };
        var json = Flags.Json("the summary");
        var cmd = new Command("asm", "Assemble a program, check it fits the instruction memory, optionally write it as $readmemh hex.")
            .WithExamples("bit1hw asm --in build/demo/small.s --out build/demo/small.hex");
        cmd.Add(input);
        cfgOpts.AddTo(cmd);
        cmd.Add(output);
        cmd.Add(json);
        cmd.SetAction(parse =>
        {
            string path = Flags.Path(parse.GetValue(input), "--in");
            HardwareConfig c = cfgOpts.Read(parse);
            uint[] words = Assembler.AssembleFile(path);
            if (words.Length > c.InstrDepth)
                throw new UserInputException(path, $"{words.Length} instructions exceed the instruction memory of {c.Tag} ({c.InstrDepth} words)");
            string? hexPath = parse.GetValue(output);
            if (hexPath is not null) AtomicFile.WriteAllText(hexPath, Assembler.ToHex(words));
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, new { input = path, tag = c.Tag, instructions = words.Length, instrDepth = c.InstrDepth, hex = hexPath });
            else o.WriteLine($"asm: {path}: {words.Length}/{c.InstrDepth} instruction words ({c.Tag})");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
