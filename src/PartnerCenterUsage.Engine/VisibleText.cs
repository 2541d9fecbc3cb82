namespace PartnerCenterUsage.Engine;

/// <summary>
/// Text from elsewhere (an answer of the service, a report file, a user's own object) made safe to show in a terminal or
/// a page: nothing in it can act on what shows it, and it stays recognisable.
/// </summary>
/// <remarks>
/// <para>A terminal acts on control characters: ESC starts a sequence that can set the window's title, move the cursor,
/// rewrite what is on the screen or, in some terminals, write to the clipboard; a C1 control (U+0080–U+009F) does the
/// same in one character where UTF-8 C1 controls are honoured (U+009B is CSI). A company or product name never holds one,
/// so each is replaced by a visible character that says what was there:</para>
/// <list type="bullet">
/// <item>C0 controls, U+0000–U+001F, tab, CR and LF included (a table cell or a list value with a line end in it splits
/// the view's layout and could pass for another row), by their Unicode control pictures, U+2400–U+241F (ESC is '␛', BEL
/// '␇', LF '␊'); DEL, U+007F, by '␡' (U+2421).</item>
/// <item>C1 controls, U+0080–U+009F, which have no pictures, by U+FFFD.</item>
/// <item>The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) by U+FFFD: they drive no
/// terminal, but one in a name reorders what follows it on the line (a right-to-left override turns "50" into "05" in a
/// table row of a terminal or viewer that applies them), and names in right-to-left scripts need none of them. The marks
/// LRM, RLM and ALM are kept: they only set the direction of neutral characters next to them.</item>
/// <item>A lone surrogate (half of a character) by U+FFFD, as a UTF-8 encoder would write it anyway.</item>
/// </list>
/// <para>Everything else, letters of every script included, is kept as it is.</para>
/// </remarks>
internal static class VisibleText
{
    /// <summary>What stands for a character that has no picture.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary><paramref name="text"/> with every character that could act on what shows it replaced (see the remarks); the same instance when it has none.</summary>
    public static string? Of(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var first = FirstToReplace(text);
        if (first < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = first; i < chars.Length; i++)
        {
            var c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (IsToReplace(c))
            {
                chars[i] = PictureOf(c);
            }
        }

        return new string(chars);
    }

    /// <summary>The visible character that stands for <paramref name="c"/>, one that <see cref="Of"/> replaces.</summary>
    private static char PictureOf(char c) => c switch
    {
        < '\u0020' => (char)(0x2400 + c),
        '\u007f' => '\u2421',
        _ => Replacement,
    };

    private static bool IsToReplace(char c) =>
        c < '\u0020' || c is >= '\u007f' and <= '\u009f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' || char.IsSurrogate(c);

    // The first character to replace, or -1: a surrogate only when it is not half of a pair.
    private static int FirstToReplace(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '\u0020' and < '\u007f')
            {
                // Printable ASCII, nearly every character of a name, id or code: one test.
                continue;
            }

            if (c < '\u0020' || c is >= '\u007f' and <= '\u009f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069')
            {
                return i;
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }
}
