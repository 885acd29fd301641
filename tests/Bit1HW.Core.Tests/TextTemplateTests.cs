using Bit1HW.Core.Text;

namespace Bit1HW.Core.Tests;

public class TextTemplateTests
{
    [Fact]
    public void A_loop_over_more_items_than_scribans_default_limit_renders_every_item_with_unix_line_ends()
    {
        var items = Enumerable.Range(0, 5000).ToArray();
        string text = TextTemplate.Render(typeof(TextTemplateTests).Assembly, "templates/list.txt.sbn", new { items, name = "five thousand" });
        string[] lines = text.Split('\n');
        Assert.Equal(5001, lines.Length);   // the last line is empty: the text ends in "\n"
        Assert.Equal("4999 of five thousand", lines[4999]);
        Assert.DoesNotContain("\r", text);
    }

    [Fact]
    public void A_variable_the_model_lacks_is_an_error_naming_it_rather_than_empty_text()
    {
        var e = Assert.ThrowsAny<Exception>(() => TextTemplate.Render(typeof(TextTemplateTests).Assembly, "templates/typo.txt.sbn", new { name = "x" }));
        Assert.Contains("nmae", e.Message);
    }

    [Fact]
    public void A_missing_template_names_the_resource_and_the_assembly()
    {
        var e = Assert.Throws<InvalidOperationException>(() => TextTemplate.Render(typeof(TextTemplateTests).Assembly, "templates/none.sbn", new { }));
        Assert.Contains("templates/none.sbn", e.Message);
    }
}
