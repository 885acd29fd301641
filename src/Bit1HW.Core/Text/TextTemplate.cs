using System.Reflection;
using Scriban;
using Scriban.Runtime;

namespace Bit1HW.Core.Text;

/// <summary>
/// Renders a Scriban template shipped as an embedded resource: the one way Bit1HW writes generated
/// text other than Verilog (the HTML energy report, the Verilator harness, the Icarus testbenches;
/// Verilog stays on the typed AST). The model's members keep their C# names (no snake_case
/// renaming), a variable the model lacks is an error rather than empty text, and output lines end
/// in "\n" whatever the platform. Templates are parsed once per process.
/// </summary>
public static class TextTemplate
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Assembly, string), Template> Parsed = new();

    public static string Render(Assembly assembly, string resourceName, object model)
    {
        Template template = Parsed.GetOrAdd((assembly, resourceName), key => Parse(key.Item1, key.Item2));
        var globals = new ScriptObject();
        globals.Import(model, renamer: m => m.Name);
        var context = new TemplateContext { StrictVariables = true, MemberRenamer = m => m.Name, NewLine = "\n", LoopLimit = 0 };
        context.PushGlobal(globals);
        return template.Render(context).ReplaceLineEndings("\n");
    }

    private static Template Parse(Assembly assembly, string resourceName)
    {
        using Stream stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"template {resourceName} is not embedded in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        Template t = Template.Parse(reader.ReadToEnd().ReplaceLineEndings("\n"), resourceName);
        if (t.HasErrors) throw new InvalidOperationException($"template {resourceName}: {string.Join("; ", t.Messages)}");
        return t;
    }
}
