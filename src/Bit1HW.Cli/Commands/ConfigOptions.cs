using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// The hardware-config options shared by gen and synth: --config FILE, then any of --lanes,
/// --rows, --act-bits, --pipe-every, --pe, --max-k overriding that file's (or the default's) fields.
/// The result is validated, so a bad value is a one-line error before anything is written.
/// </summary>
internal sealed class ConfigOptions
{
    public Option<string?> Config { get; } = new("--config") { Description = "Hardware config JSON (default: the built-in default)" };
    public Option<int?> Lanes { get; } = new("--lanes") { Description = "Override lanes (1..4096)" };
    public Option<int?> Rows { get; } = new("--rows") { Description = "Override rows (1..256)" };
    public Option<int?> ActBits { get; } = new("--act-bits") { Description = "Override actBits (2..8)" };
    public Option<int?> PipeEvery { get; } = new("--pipe-every") { Description = "Override pipeEvery (1..64)" };
    public Option<int?> MaxK { get; } = new("--max-k") { Description = "Override maxK (sets the accumulator width)" };
    public Option<string?> Pe { get; } = new("--pe") { Description = "Override pe: ternary or mac" };

    public void AddTo(Command cmd)
    {
        cmd.Add(Config);
        cmd.Add(Lanes);
        cmd.Add(Rows);
        cmd.Add(ActBits);
        cmd.Add(PipeEvery);
        cmd.Add(Pe);
        cmd.Add(MaxK);
    }

    /// <summary>The config file's (or else <paramref name="fallback"/>'s, else the built-in default's) fields with the overrides applied.</summary>
    public HardwareConfig Read(ParseResult parse, HardwareConfig? fallback = null)
    {
        string? path = parse.GetValue(Config);
        HardwareConfig cfg = path is null ? fallback ?? HardwareConfig.Default : HardwareConfig.Load(path);
        cfg = cfg with
        {
            Lanes = parse.GetValue(Lanes) ?? cfg.Lanes,
            Rows = parse.GetValue(Rows) ?? cfg.Rows,
            ActBits = parse.GetValue(ActBits) ?? cfg.ActBits,
            PipeEvery = parse.GetValue(PipeEvery) ?? cfg.PipeEvery,
            MaxK = parse.GetValue(MaxK) ?? cfg.MaxK,
            Pe = parse.GetValue(Pe) switch
            {
                null => cfg.Pe,
                "ternary" => PeKind.Ternary,
                "mac" => PeKind.Mac,
                string other => throw new UserInputException("--pe", $"'{other}' is not ternary or mac"),
            },
        };
        return cfg.Validate(path ?? "config");
    }
}
