using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// What text from elsewhere becomes before it is shown: nothing in it can act on a terminal or a page, and it stays
/// recognisable.
/// </summary>
public sealed class VisibleTextTests
{
    [Fact]
    public void Each_C0_control_and_DEL_becomes_its_control_picture()
    {
        for (var c = '\0'; c < ' '; c++)
        {
            Assert.Equal(((char)(0x2400 + c)).ToString(), VisibleText.Of(c.ToString()));
        }

        Assert.Equal("\u2421", VisibleText.Of("\u007f"));
        Assert.Equal("Evil\u241b]0;pwned\u2407Corp", VisibleText.Of("Evil\u001b]0;pwned\u0007Corp"));
        Assert.Equal("a\u2409b\u240d\u240a", VisibleText.Of("a\tb\r\n"));
    }

    [Fact]
    public void C1_controls_bidi_overrides_and_lone_surrogates_become_the_replacement_character()
    {
        for (var c = '\u0080'; c <= '\u009f'; c++)
        {
            Assert.Equal("\ufffd", VisibleText.Of(c.ToString()));
        }

        foreach (var c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
        {
            Assert.Equal("x\ufffdy", VisibleText.Of("x" + c + "y"));
        }

        Assert.Equal("a\ufffdb\ufffd", VisibleText.Of("a\ud800b\udc00"));
        Assert.Equal("\ufffd\ufffd", VisibleText.Of("\udc00\ud800"));
    }

    [Theory]
    [InlineData("Contoso Ltd.")]
    [InlineData("Zoë Müller GmbH")]
    [InlineData("شركة \u200f\u061c مثال")]
    [InlineData("株式会社 \U0001F600")]
    [InlineData("line\u2028separator")]
    [InlineData("")]
    public void Other_text_is_kept_as_it_is_and_not_copied(string text) => Assert.Same(text, VisibleText.Of(text));

    [Fact]
    public void Null_is_null() => Assert.Null(VisibleText.Of(null));
}
