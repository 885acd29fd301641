using System.CommandLine;
using System.Text.Json;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw info</c>: prints a hardware configuration with every derived width and latency, as text or JSON.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var cfgOpts = new ConfigOptions();
        var json = Flags.Json("the configuration (under \"config\", loadable with --config) and its derived values");
        var cmd = new Command("info", "Print a hardware configuration and its derived widths and latencies.")
            .WithExamples("bit1hw info --config docs/examples/default.json --lanes 13",
                "bit1hw info --json | jq .config > my-config.json");
        cfgOpts.AddTo(cmd);
        cmd.Add(json);
        cmd.SetAction(parse =>
        {
            HardwareConfig cfg = cfgOpts.Read(parse);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) CliJson.Write(o, Json(cfg));
            else Text(o, cfg);
            return 0;
        });
        return cmd;
    }

    private static object Json(HardwareConfig cfg) => new
    {
        config = CliJson.Embed(cfg.ToJson()),
        tag = cfg.Tag,
        maxKDerived = !cfg.MaxKIsGiven,
        treeLevels = cfg.TreeLevels,
        peLatencyCycles = cfg.PeLatencyCycles,
        fetchCycles = cfg.FetchCycles,
        repeatBits = cfg.RepeatBits,
        peTermBits = cfg.PeTermBits,
        peOutBits = cfg.PeOutBits,
        accBits = cfg.AccBits,
        weightWordBits = cfg.WeightWordBits,
        actWordBits = cfg.ActWordBits,
        outWordBits = cfg.OutWordBits,
        hostDataBits = cfg.HostDataBits,
        hostAddrBits = cfg.HostAddrBits,
    };

    private static void Text(TextWriter o, HardwareConfig cfg)
    {
        using (JsonDocument doc = JsonDocument.Parse(cfg.ToJson()))
        {
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                string value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                string note = p.Name == "maxK" && !cfg.MaxKIsGiven ? " (derived: actDepth x lanes, at most a 32-bit accumulator)" : "";
                o.WriteLine($"{p.Name,-16} {value}{note}");
            }
        }
        o.WriteLine($"tag              {cfg.Tag}");
        o.WriteLine($"pe latency       {cfg.PeLatencyCycles} cycles (lane-term register + {cfg.TreeLevels} adder-tree levels, pipeEvery {cfg.PipeEvery})");
        o.WriteLine($"fetch            {cfg.FetchCycles} cycles before instruction 0");
        o.WriteLine($"repeat counter   {cfg.RepeatBits} bits (NOP/MAC n <= {(1L << cfg.RepeatBits) - 1})");
        o.WriteLine($"pe output        {cfg.PeOutBits} bits");
        o.WriteLine($"accumulator      {cfg.AccBits} bits (maxK {cfg.MaxK})");
        o.WriteLine($"weight memory    {cfg.WeightDepth} x {cfg.WeightWordBits} bits");
        o.WriteLine($"activation mem   {cfg.ActDepth} x {cfg.ActWordBits} bits");
        o.WriteLine($"output memory    {cfg.OutDepth} x {cfg.OutWordBits} bits");
        o.WriteLine($"instruction mem  {cfg.InstrDepth} x 32 bits");
    }
}
