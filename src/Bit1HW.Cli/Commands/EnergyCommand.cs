using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Core.IO;
using Bit1HW.Energy.Analytic;
using Bit1HW.Energy.Models;
using Bit1HW.Energy.Reporting;
using Bit1HW.Energy.Simulation;
using Bit1HW.Energy.Technology;
using Bit1HW.Core.Hardware;

namespace Bit1HW.Cli.Commands;

/// <summary><c>bit1hw energy</c>: analytic BitNet-vs-FP16 energy per model and node, or energy from a simulator report.</summary>
internal static class EnergyCommand
{
    public static Command Create()
    {
        var node = new Option<string[]>("--node") { Description = "Technology node: 7nm, 45nm or a node .json file; repeatable (default: 45nm and 7nm; with --from-sim: 7nm)" };
        var model = new Option<string[]>("--model") { Description = "Shipped model id or a Hugging Face config.json; repeatable (default: every shipped model)" };
        var tokens = Flags.Count("--tokens", "Sequence length for the per-sequence figures and the attention average", 512);
        var lmHead = new Option<bool>("--include-lm-head") { Description = "Add the lm_head (FP16 in both) to the totals; by default it is reported separately" };
        var json = Flags.Json();
        var chart = new Option<string?>("--chart") { Description = "Write a chart of energy per token for each model, arithmetic and weight reads from SRAM (.png or .svg)" };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report: the chart, the tables and the source of every number" };
        var fromSim = new Option<string?>("--from-sim") { Description = "Estimate from a simulator report (bit1hw sim ... --report sim.json) instead of a model shape" };
        var accounting = new Option<string>("--accounting")
        {
            Description = "What to count: default (the project's model: causal attention per token, lm_head apart, memory, KV cache and registers priced) " +
                          "or bitnet-papers (the BitNet papers' prefill arithmetic that their published energy tables use; docs/energy.md, \"Accountings\")",
            DefaultValueFactory = _ => "default",
        };
        var list = new Option<bool>("--list") { Description = "List the shipped nodes, models and accountings" };
        var cmd = new Command("energy", "Estimate the energy of ternary (BitNet b1.58) vs FP16 inference, from model shapes or from simulator activity.")
        {
            node, model, tokens, lmHead, json, chart, html, fromSim, accounting, list,
        }.WithExamples("bit1hw energy --model bitnet-b1.58-2b-4t --node 7nm",
            "bit1hw energy --accounting bitnet-papers --model bitnet-b1.58-2b-4t --node 7nm",
            "bit1hw energy --chart docs/energy/energy-chart.png --html build/energy-report.html",
            "bit1hw energy --from-sim sim.json --node 7nm --json");
        cmd.SetAction(parse =>
        {
            TextWriter o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(list)) return List(o);
            string[] nodes = parse.GetValue(node) is { Length: > 0 } n ? n : [];
            string? sim = parse.GetValue(fromSim);
            Accounting how = ParseAccounting(parse.GetValue(accounting)!);
            if (how == Accounting.BitNetPapers)
                foreach (var (given, name) in new[] { (sim is not null, "--from-sim"), (parse.GetValue(lmHead), "--include-lm-head"),
                                                      (parse.GetValue(chart) is not null, "--chart"), (parse.GetValue(html) is not null, "--html") })
                    if (given) throw new UserInputException("--accounting", $"bitnet-papers counts no simulator, lm_head or chart; drop {name} or use --accounting default");
            if (sim is not null) return FromSim(o, sim, nodes, parse.GetValue(json));
            int seq = parse.GetValue(tokens);
            var nodeList = (nodes.Length > 0 ? nodes : TechnologyNode.ShippedNames).Select(TechnologyNode.Resolve).ToList();
            var models = (parse.GetValue(model) is { Length: > 0 } m ? m : ModelArchitecture.ShippedIds).Select(ModelArchitecture.Resolve)
                .OrderBy(x => x.TotalWeights).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
            if (how == Accounting.BitNetPapers) return Papers(o, nodeList, models, seq, parse.GetValue(json));
            var results = nodeList.SelectMany(nd => models.Select(md => AnalyticEnergyModel.Estimate(md, nd, seq, parse.GetValue(lmHead)))).ToList();
            WriteOutputs(results, parse.GetValue(chart), parse.GetValue(html));
            if (parse.GetValue(json)) o.Write(EnergyJson.Analytic(results));
            else AnalyticText.Write(o, results);
            return 0;
        });
        return cmd;
    }

    private static void WriteOutputs(IReadOnlyList<AnalyticResult> results, string? chartPath, string? htmlPath)
    {
        if (chartPath is not null) ChartFile.CheckPath(chartPath, "--chart");
        if (chartPath is null && htmlPath is null) return;
        ScottPlot.Plot chart = EnergyChart.Build(results);
        if (chartPath is not null) ChartFile.Save(chart, chartPath, EnergyChart.WidthPixels, EnergyChart.HeightPixels, "--chart");
        if (htmlPath is not null)
            AtomicFile.WriteAllText(htmlPath, HtmlReport.Build(results, ChartFile.Svg(chart, EnergyChart.WidthPixels, EnergyChart.HeightPixels)));
    }

    private static Accounting ParseAccounting(string name) => name switch
    {
        "default" => Accounting.Default,
        "bitnet-papers" => Accounting.BitNetPapers,
        _ => throw new UserInputException("--accounting", $"'{name}' must be default or bitnet-papers"),
    };

    private static int Papers(TextWriter o, IReadOnlyList<TechnologyNode> nodes, IReadOnlyList<ModelArchitecture> models, int tokens, bool json)
    {
        var results = nodes.SelectMany(nd => models.Select(md => PaperEnergyModel.Estimate(md, nd, tokens))).ToList();
        if (json) o.Write(EnergyJson.Papers(results));
        else PaperText.Write(o, results);
        return 0;
    }

    private static int FromSim(TextWriter o, string path, string[] nodes, bool json)
    {
        if (nodes.Length > 1) throw new UserInputException("--node", "give one node with --from-sim");
        SimEnergyResult r = SimEnergyModel.Estimate(SimulationReport.Load(path), TechnologyNode.Resolve(nodes.Length == 1 ? nodes[0] : "7nm"));
        if (json) o.Write(EnergyJson.Simulation(r));
        else SimText.Write(o, r);
        return 0;
    }

    private static int List(TextWriter o)
    {
        o.Write($"nodes:  {string.Join(" ", TechnologyNode.ShippedNames)}\n");
        o.Write("accountings: default bitnet-papers\n");
        foreach (string id in ModelArchitecture.ShippedIds)
        {
            var m = ModelArchitecture.Resolve(id);
            o.Write($"model:  {id,-22} {m.Label} ({m.Source})\n");
        }
        return 0;
    }
}
