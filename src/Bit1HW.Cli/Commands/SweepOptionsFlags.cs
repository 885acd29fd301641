using System.CommandLine;
using Bit1HW.Core;
using Bit1HW.Flows.Sweeps;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// The flags of every command that runs a synthesis sweep (issue 15: explore, and sweep): how
/// many points run at once on this machine, or how they are submitted to Slurm as one job array
/// (docs/sweeps.md). Adds them to a command and builds <see cref="SweepOptions"/> from the parse.
/// </summary>
internal sealed class SweepOptionsFlags
{
    public Option<int> Workers { get; } = Flags.Count("--workers", "Synthesis points run at the same time on this machine", 1);
    public Option<bool> Slurm { get; } = new("--slurm") { Description = "Run the points that are not cached as one Slurm job array (sbatch --wait); the output directory must be shared by the nodes" };
    public Option<string?> Partition { get; } = new("--slurm-partition") { Description = "Slurm partition of the array (sbatch --partition)" };
    public Option<string?> SiteArgs { get; } = new("--slurm-args") { Description = "More sbatch options, separated by spaces (e.g. \"--account=eda --time=30\")" };
    public Option<int> MaxParallel { get; } = Flags.Count("--slurm-max-parallel", "At most this many array tasks run at once (sbatch --array=...%N); 0: as Slurm schedules", 0, min: 0);
    public Option<string?> Worker { get; } = new("--slurm-worker") { Description = "The command that runs bit1hw on a node, words separated by spaces (default: this program, at the same path)" };
    public Option<string?> Sbatch { get; } = new("--slurm-sbatch") { Description = "The sbatch program (default: sbatch on PATH)" };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { Workers, Slurm, Partition, SiteArgs, MaxParallel, Worker, Sbatch }) cmd.Add(o);
    }

    public SweepOptions Read(ParseResult parse, string dir)
    {
        var opt = new SweepOptions(dir) { Workers = parse.GetValue(Workers) };
        if (!parse.GetValue(Slurm))
        {
            foreach (Option o in new Option[] { Partition, SiteArgs, MaxParallel, Worker, Sbatch })
                if (parse.GetResult(o) is { Implicit: false })
                    throw new UserInputException(o.Name, "applies to a Slurm run only: add --slurm");
            return opt;
        }
        if (parse.GetResult(Workers) is { Implicit: false })
            throw new UserInputException("--workers", "does not apply with --slurm (Slurm decides where tasks run; --slurm-max-parallel caps them)");
        return opt with
        {
            Slurm = new SlurmOptions(parse.GetValue(Worker) is { } w ? Words(w, "--slurm-worker") : ThisProgram())
            {
                Partition = parse.GetValue(Partition),
                ExtraArgs = parse.GetValue(SiteArgs) is { } a ? Words(a, "--slurm-args") : [],
                MaxParallel = parse.GetValue(MaxParallel),
                Sbatch = parse.GetValue(Sbatch) ?? "sbatch",
            },
        };
    }

    private static string[] Words(string s, string flag)
    {
        string[] w = s.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return w.Length > 0 ? w : throw new UserInputException(flag, "is empty");
    }

    /// <summary>This bit1hw as a node runs it: the launcher itself, or `dotnet exec bit1hw.dll` when run through dotnet.</summary>
    private static string[] ThisProgram()
    {
        string exe = Environment.ProcessPath ?? throw new UserInputException("--slurm-worker", "this program's path is unknown: give the command");
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" ? [exe, "exec", typeof(SweepOptionsFlags).Assembly.Location] : [exe];
    }
}
