using System.Globalization;
using System.Text;
using System.Xml;
using Bit1HW.CoSim;
using Bit1HW.Core.IO;

namespace Bit1HW.Cli.Commands;

/// <summary>
/// <c>verify --junit FILE</c>: the campaign as JUnit XML, the format CI systems (GitLab, Jenkins,
/// GitHub test reporters) read: one &lt;testsuite&gt; per configuration (named by its tag), one
/// &lt;testcase&gt; per case (named by its number, name, kind and stimulus), a &lt;failure&gt; with the
/// first difference and the replay command for each mismatch. Written atomically.
/// </summary>
internal static class JUnitReport
{
    public static void Write(string path, VerifyCampaign campaign, CampaignResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var settings = new XmlWriterSettings { Indent = true, NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        var bytes = new MemoryStream();
        using (var x = XmlWriter.Create(bytes, settings))
        {
            x.WriteStartElement("testsuites");
            x.WriteAttributeString("name", string.Create(inv, $"bit1hw verify --seed {campaign.Seed}"));
            x.WriteAttributeString("tests", result.Cases.ToString(inv));
            x.WriteAttributeString("failures", result.Failures.Count.ToString(inv));
            x.WriteAttributeString("time", Seconds(result.Elapsed));
            for (int d = 0; d < campaign.Configs.Count; d++)
            {
                var mine = campaign.CaseResults.Where(c => c.Config == d).ToList();
                x.WriteStartElement("testsuite");
                x.WriteAttributeString("name", $"verify.{campaign.Configs[d].Tag}");
                x.WriteAttributeString("tests", mine.Count.ToString(inv));
                x.WriteAttributeString("failures", mine.Count(c => !c.Passed).ToString(inv));
                x.WriteAttributeString("errors", "0");
                x.WriteAttributeString("time", Seconds(TimeSpan.FromTicks(mine.Sum(c => c.Elapsed.Ticks))));
                foreach (var c in mine) Case(x, c, campaign);
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        bytes.WriteByte((byte)'\n');
        AtomicFile.Write(path, s => bytes.WriteTo(s));
    }

    private static void Case(XmlWriter x, CampaignCaseResult c, VerifyCampaign campaign)
    {
        var inv = CultureInfo.InvariantCulture;
        x.WriteStartElement("testcase");
        x.WriteAttributeString("classname", $"verify.{campaign.Configs[c.Config].Tag}");
        x.WriteAttributeString("name", string.Create(inv,
            $"case {c.Number} ({c.Case}) seed {c.CaseSeed} {c.Kind} {c.Stimulus}"));
        x.WriteAttributeString("time", Seconds(c.Elapsed));
        if (c.Failure is not null)
        {
            x.WriteStartElement("failure");
            x.WriteAttributeString("message", c.Failure);
            x.WriteAttributeString("type", "mismatch");
            x.WriteString($"{c.Failure}\nreplay: {campaign.ReplayLine(c.Number)}");
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
}
