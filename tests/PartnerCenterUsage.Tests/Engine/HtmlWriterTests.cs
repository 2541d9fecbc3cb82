using System.Globalization;
using PartnerCenterUsage.Engine.Reports.Html;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class HtmlWriterTests
{
    private static string Write(Action<HtmlWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        write(new HtmlWriter(text));
        return text.ToString();
    }

    [Fact]
    public void Element_text_is_always_encoded()
    {
        var html = Write(w => w.Open("td").Text("<script>alert('x')</script> & \"q\"").Close("td"));

        Assert.Equal("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</td>", html);
    }

    [Fact]
    public void Control_characters_and_bidi_overrides_are_written_visible_in_text_and_attributes()
    {
        var html = Write(w => w.Open("td").Attribute("title", "a\u001b]0;t\u0007\u009b\u202e\ud800").Text("Evil\u001b]0;pwned\u0007\u0000\n\u007f\u0085\u2066").Close("td"));

        Assert.Equal("<td title=\"a\u241b]0;t\u2407\ufffd\ufffd\ufffd\">Evil\u241b]0;pwned\u2407\u2400\u240a\u2421\ufffd\ufffd</td>", html);
    }

    [Fact]
    public void An_attribute_value_cannot_leave_its_quotes_and_keeps_its_apostrophes()
    {
        var html = Write(w => w.Open("meta").Attribute("content", "default-src 'none'; \"><img src=x>&").Line());

        Assert.Equal("<meta content=\"default-src 'none'; &quot;&gt;&lt;img src=x&gt;&amp;\">\n", html);
    }

    [Fact]
    public void A_start_tag_ends_before_anything_else_is_written_and_an_empty_one_closes_itself()
    {
        var html = Write(w =>
        {
            w.Open("g").Open("rect").Attribute("x", "1").SelfClose().Element("title", "t").Close("g");
            w.Open("p").Attribute("class", "note").Line();
        });

        Assert.Equal("<g><rect x=\"1\"/><title>t</title></g><p class=\"note\">\n", html);
    }

    [Theory]
    [InlineData("td onclick=alert(1)")]
    [InlineData("td>")]
    [InlineData("")]
    [InlineData("1td")]
    public void Only_plain_names_are_tags_or_attributes(string name)
    {
        Assert.Throws<ArgumentException>(() => Write(w => w.Open(name)));
        Assert.Throws<ArgumentException>(() => Write(w => w.Open("td").Attribute(name, "v")));
    }

    [Fact]
    public void An_attribute_belongs_right_after_its_element_s_start()
    {
        Assert.Throws<InvalidOperationException>(() => Write(w => w.Open("td").Text("x").Attribute("class", "n")));
        Assert.Throws<InvalidOperationException>(() => Write(w => w.Element("td", "x").SelfClose()));
    }

    [Fact]
    public void The_page_s_own_style_and_script_are_the_one_raw_text()
    {
        var html = Write(w => w.Embed(PageAsset.Script));

        Assert.Equal("<script>" + PageAsset.Script.Text + "</script>", html);
        Assert.Contains("function compare", html, StringComparison.Ordinal);
    }
}
