using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// The hardware-config options of every command that takes a hardware configuration: --config FILE,
/// then any of --lanes, --rows, --act-bits, --pipe-every, --pe, --max-k overriding that file's (or
/// the default's) fields. maxK follows the others unless given (docs/hardware.md): --lanes 13 alone
/// works. The result is validated, so a bad value is a one-line error before anything is written.
/// A deprecated spelling of --config (decode's --hw-config) is accepted, hidden, with a warning.
/// </summary>
internal sealed class ConfigOptions
{
    private readonly Option<string?>? _deprecated;

    public ConfigOptions(string? deprecatedSpelling = null)
    {
        if (deprecatedSpelling is not null) _deprecated = new Option<string?>(deprecatedSpelling) { Hidden = true };
    }

    public Option<string?> Config { get; } = new("--config") { Description = "Hardware config JSON (default: the built-in default)" };
    public Option<int?> Lanes { get; } = new("--lanes") { Description = "Override lanes (1..4096)" };
    public Option<int?> Rows { get; } = new("--rows") { Description = "Override rows (1..256)" };
    public Option<int?> ActBits { get; } = new("--act-bits") { Description = "Override actBits (2..8)" };
    public Option<int?> PipeEvery { get; } = new("--pipe-every") { Description = "Override pipeEvery (1..64)" };
    public Option<int?> MaxK { get; } = new("--max-k") { Description = "Override maxK (sets the accumulator width; derived from lanes and actDepth when no file gives it)" };
    public Option<string?> Pe { get; } = new("--pe") { Description = "Override pe: ternary or mac" };

    /// <summary>Adds --config and the overrides.</summary>
    public void AddTo(Command cmd)
    {
        cmd.Add(Config);
        if (_deprecated is not null) cmd.Add(_deprecated);
        AddOverridesTo(cmd);
    }

    /// <summary>Adds only the overrides (verify has its own repeatable --config).</summary>
    public void AddOverridesTo(Command cmd)
    {
        cmd.Add(Lanes);
        cmd.Add(Rows);
        cmd.Add(ActBits);
        cmd.Add(PipeEvery);
        cmd.Add(Pe);
        cmd.Add(MaxK);
    }

    /// <summary>The configuration of --config (or else <paramref name="fallback"/>, else the built-in default) with
    /// the overrides applied, validated.</summary>
    public HardwareConfig Read(ParseResult parse, HardwareConfig? fallback = null)
    {
        string? path = parse.GetValue(Config);
        if (_deprecated is not null && parse.GetValue(_deprecated) is { } old)
        {
            Flags.Deprecated(parse, _deprecated.Name, "--config");
            if (path is not null) throw new UserInputException(_deprecated.Name, "give --config or the deprecated --hw-config, not both");
            path = old;
        }
        HardwareConfig cfg = path is null ? fallback ?? HardwareConfig.Default : HardwareConfig.Load(path);
        return Apply(parse, cfg, path ?? "config");
    }

    /// <summary><paramref name="cfg"/> with the overrides applied, validated; <paramref name="source"/> names it in errors.</summary>
    public HardwareConfig Apply(ParseResult parse, HardwareConfig cfg, string source)
    {
        cfg = cfg with
        {
            Lanes = parse.GetValue(Lanes) ?? cfg.Lanes,
            Rows = parse.GetValue(Rows) ?? cfg.Rows,
            ActBits = parse.GetValue(ActBits) ?? cfg.ActBits,
            PipeEvery = parse.GetValue(PipeEvery) ?? cfg.PipeEvery,
            Pe = parse.GetValue(Pe) switch
            {
                null => cfg.Pe,
                "ternary" => PeKind.Ternary,
                "mac" => PeKind.Mac,
                string other => throw new UserInputException("--pe", $"'{other}' is not ternary or mac"),
            },
        };
        if (parse.GetValue(MaxK) is int k) cfg = cfg with { MaxK = k };
        return cfg.Validate(source);
    }

    /// <summary>Whether any override flag was given.</summary>
    public bool AnyOverride(ParseResult parse) =>
        new Option[] { Lanes, Rows, ActBits, PipeEvery, Pe, MaxK }.Any(o => parse.GetResult(o) is { Implicit: false });
}
